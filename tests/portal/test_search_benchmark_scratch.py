"""benchmarks/portal_search.py (and the benchmarks that import its set-up) removes the temporary
directories it makes (the data folder, the SQLite database's folder) when a run ends, also when it
fails or is terminated: they were left in /tmp by every run."""

import importlib.util
import os
import signal
import tempfile
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "portal_search.py"


class Boom(Exception):
    pass


@pytest.fixture
def scratch_root(tmp_path):
    root = tmp_path / "tmp"
    root.mkdir()
    return root


@pytest.fixture
def bench(monkeypatch, scratch_root):
    spec = importlib.util.spec_from_file_location("portal_search_under_test", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))  # what mkdtemp makes lands here
    # _setup writes these; monkeypatch puts them back as they were
    monkeypatch.setenv("DATABASE_URL", os.environ.get("DATABASE_URL", ""))
    monkeypatch.delenv("SANXIANG_DATA_DIR", raising=False)
    return module


def test_a_failed_run_leaves_no_temporary_directory(bench, monkeypatch, scratch_root):
    import django

    made = []

    def fail():
        made.extend(scratch_root.iterdir())
        raise Boom

    monkeypatch.setattr(django, "setup", fail)
    args = bench.argparse.Namespace(engine=["sqlite"], pg_url="", existing=False, rows=[10], runs=1,
                                    list_only=False)
    with pytest.raises(Boom):
        bench._one(args)
    assert len(made) == 2  # the data folder and the database's folder were made ...
    assert list(scratch_root.iterdir()) == []  # ... and are gone


def test_a_given_data_folder_is_used_without_making_another(bench, monkeypatch, scratch_root):
    import django

    data = scratch_root / "data"
    monkeypatch.setenv("SANXIANG_DATA_DIR", str(data))
    monkeypatch.setattr(django, "setup", lambda: (_ for _ in ()).throw(Boom))
    with pytest.raises(Boom):
        bench._setup("sqlite:///x.sqlite3")
    assert list(scratch_root.iterdir()) == []


def test_a_terminated_run_cleans_up(bench, scratch_root):
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit), bench.scratch():
        bench._scratch_dir("sanxiang-bench-")
        os.kill(os.getpid(), signal.SIGTERM)
    assert list(scratch_root.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is before
