"""Processes are stopped by PID, and only when the PID is still the process we started."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from infra.procs import alive, identity, spawn, stop


def test_stop_leaves_a_reused_pid_alone_and_stops_our_own(tmp_path: Path) -> None:
    log = tmp_path / "sleeper.log"
    pid = spawn([sys.executable, "-c", "import time; time.sleep(60)"], log)
    try:
        ours = identity(pid)
        assert ours is not None and ours.isdigit()
        # Same PID, another start time: what `down` sees when the PID went to another process.
        stop(pid, timeout=2, expected="1")
        assert alive(pid)
        stop(pid, timeout=10, expected=ours)
        assert not alive(pid)
    finally:
        stop(pid, timeout=2)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
