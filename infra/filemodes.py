"""Closed by default: the data dir and everything in it belong to the user who runs Turing.

Directories are 0700 and files 0600. As root, PostgreSQL runs as an unprivileged account, so
the directories on its way (the data dir and `logs/`) are 0710 with that account's group: it
may pass through them, nobody else may. Directories above the data dir are never changed.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path, traverse_gid: int | None = None) -> None:
    """Create (or tighten) a directory: 0700, or 0710 for the group `traverse_gid`."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if traverse_gid is None:
        os.chmod(path, 0o700)
        return
    os.chown(path, -1, traverse_gid)
    os.chmod(path, 0o710)


def write_private(path: Path, data: bytes) -> None:
    """Write a 0600 file atomically (a reader never sees half of it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)


def open_private_log(path: Path) -> int:
    """A log file descriptor for appending, 0600 whether the file is new or not."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def unreachable_parent(path: Path, uid: int, gid: int) -> Path | None:
    """The first directory above `path` that the account (uid, gid) cannot pass through."""
    for parent in reversed(path.resolve().parents):
        st = parent.stat()
        if st.st_uid == uid:
            allowed = st.st_mode & 0o100
        elif st.st_gid == gid:
            allowed = st.st_mode & 0o010
        else:
            allowed = st.st_mode & 0o001
        if not allowed:
            return parent
    return None
