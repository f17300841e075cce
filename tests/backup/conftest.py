"""A real data folder built by another process (tests/backup/seed.py), since a backup reads a
database that several processes open: pytest's in-memory test database is not one."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(__file__).with_name("seed.py")


def env_for(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("SANXIANG_SECRET_KEY", "SANXIANG_LEDGER_SIGNING_KEY")
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env["SANXIANG_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    return env


def sanxiang(*args, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run the `sanxiang` command as an operator would, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "sanxiang", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def seed(*args, env: dict[str, str], umask: int | None = None) -> str:
    result = subprocess.run(
        [sys.executable, str(SEED), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="session")
def seeded(tmp_path_factory):
    """A SQLite data folder with a case, evidence, a stored upload, an open tus upload and a
    checkpoint, built with umask 0 so that only the modes the code asks for are left."""
    data = tmp_path_factory.mktemp("seeded") / "data"
    facts = json.loads(seed("setup", env=env_for(data), umask=0))
    return data, facts


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class PostgresDatabases:
    """Fresh databases on the server that DATABASE_URL names, dropped at the end."""

    def __init__(self, url: str) -> None:
        self.parts = urlsplit(url)
        self.names: list[str] = []

    def _admin(self):
        import psycopg

        p = self.parts
        return psycopg.connect(
            host=p.hostname or "127.0.0.1",
            port=p.port or 5432,
            user=p.username or "postgres",
            password=p.password,
            dbname="postgres",
            autocommit=True,
        )

    def create(self, role: str) -> str:
        name = f"sanxiang_backup_test_{role}_{uuid.uuid4().hex[:10]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return self.parts._replace(path=f"/{name}").geturl()

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_databases():
    url = postgres_url()
    if url is None:
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")
    databases = PostgresDatabases(url)
    yield databases
    databases.drop_all()
