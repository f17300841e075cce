"""What the benchmark scripts share. Each script runs as `python benchmarks/<name>.py`, so its
folder is first on `sys.path` and this module is imported as `_common`."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def child_env(data_dir: Path, database_url: str | None) -> dict:
    """The environment of a child `sanxiang` process: this checkout's code, its own data folder,
    and PostgreSQL when a URL is given (SQLite in the data folder otherwise)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["SANXIANG_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def pg_admin(url: str, statement: str, name: str | None = None) -> None:
    """Run a statement about the database of `url` (CREATE/DROP DATABASE "{name}") from the
    server's `postgres` database, outside any transaction; `name` defaults to the URL's."""
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(statement.format(name=name or parsed.path.lstrip("/")))
