"""The data folder belongs to the account that runs Sanxiang: directories 0700, files 0600
(stored blobs 0400), whatever the process umask.

The database, evidence, issued documents, the secret key and the ledger's signing key are the
records of a county's enforcement; another account on the same server must not read them
(issue 10 item 9). Modes are given when a path is created (os.open, mkdir) and set again with
chmod, because the umask can only remove bits from what mkdir/open ask for. Nothing here imports
Django, so that the settings can use it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SECRET_KEY_FILE = "secret_key"


def _chmod(path: Path | int, mode: int) -> None:
    with contextlib.suppress(NotImplementedError):  # Windows has no POSIX modes
        if isinstance(path, int):
            if hasattr(os, "fchmod"):
                os.fchmod(path, mode)
        else:
            os.chmod(path, mode)


def private_dir_make(path: str | os.PathLike) -> Path:
    """Create `path` (and its missing parents) with mode 0700; existing folders are left as they are."""
    path = Path(path)
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # created by another process meanwhile
        _chmod(folder, DIR_MODE)
    return path


def private_file_open(path: str | os.PathLike, flags: int, *, mode: int = FILE_MODE) -> int:
    """os.open with `mode` for a file it creates (flags should include O_CREAT); returns the fd."""
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), mode)  # Windows: no newline translation
    if flags & os.O_CREAT:
        try:
            # Only tighten: a file that existed before keeps its (possibly stricter) mode.
            if os.fstat(fd).st_mode & 0o077:
                _chmod(fd, mode)
        except BaseException:
            os.close(fd)
            raise
    return fd


def private_file_create(path: str | os.PathLike, data: bytes, *, mode: int = FILE_MODE) -> None:
    """Write a new file (FileExistsError if it exists) with mode 0600, flushed to disk."""
    fd = private_file_open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode=mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def data_dir_ensure(data_dir: str | os.PathLike) -> Path:
    """Create the data folder as 0700, or tighten an existing one to 0700 (the files inside are
    then out of other accounts' reach even if an older version created them with wider modes)."""
    data_dir = private_dir_make(data_dir)
    if data_dir.stat().st_mode & 0o077:
        _chmod(data_dir, DIR_MODE)
    return data_dir


def secret_key_read_or_create(data_dir: Path, *, create: bool) -> str | None:
    """The secret key kept in DATA_DIR/secret_key: read it, or (when `create`) write a new one
    with mode 0600; O_EXCL so that two processes starting together end up with one key."""
    key_file = Path(data_dir) / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text().strip()
    if not create:
        return None
    key = secrets.token_urlsafe(50)
    try:
        private_file_create(key_file, key.encode())
    except FileExistsError:
        return key_file.read_text().strip()
    return key
