"""Start and stop the processes of the embedded stack, always by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from infra.filemodes import open_private_log


def spawn(
    argv: Sequence[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start a detached process (own session, so it outlives the CLI) and return its PID."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open_private_log(log)
    try:
        proc = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
            # What the servers write (segments, state, logs) is theirs alone.
            umask=0o077,
        )
    finally:
        os.close(out)
    return proc.pid


def identity(pid: int | None) -> str | None:
    """When the process started (clock ticks since boot): a reused PID has another start time.

    The program name is no identity: launchers (`weed`, `tansu`) exec the real binary."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[19]
    except (OSError, IndexError):
        return None


def program(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return Path(fh.read().split(b"\0", 1)[0].decode(errors="replace")).name
    except OSError:
        return None


def same_process(pid: int | None, expected: str | None) -> bool:
    """True when `pid` is still the process we started (or no identity was recorded for it)."""
    return expected is None or identity(pid) == expected


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def stop(pid: int | None, timeout: float = 30.0, expected: str | None = None) -> None:
    """SIGTERM, wait, then SIGKILL; reaps the child if it is ours.

    With `expected` (an `identity`), a PID now held by another process is left alone."""
    if not alive(pid):
        _reap(pid)
        return
    if not same_process(pid, expected):
        return
    assert pid is not None
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    for _ in range(50):
        _reap(pid)
        if not alive(pid):
            return
        time.sleep(0.1)


def _reap(pid: int | None) -> None:
    if not pid:
        return
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
