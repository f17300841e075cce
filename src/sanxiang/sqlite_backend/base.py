"""Django's SQLite backend, except that a database file about to be created is first created
empty with mode 0600 (in a 0700 folder): SQLite itself creates it 0644 minus the umask, and gives
its -wal and -shm files the database file's mode, so all three end up owner-only."""

from __future__ import annotations

import os
from pathlib import Path

from django.db.backends.sqlite3 import base

from sanxiang.privatefiles import private_dir_make, private_file_open


def _file_path(name) -> Path | None:
    """The file a connection opens, or None for in-memory and URI databases (tests)."""
    name = str(name)
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        path = _file_path(conn_params.get("database", ""))
        if path is not None and not path.exists():
            private_dir_make(path.parent)
            try:
                os.close(private_file_open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                pass  # another process created it meanwhile
        return super().get_new_connection(conn_params)
