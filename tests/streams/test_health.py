"""The lag report: computed from offsets we recorded, stalled only when work waits and nothing moves."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from streams.health import HEALTH_FILE, STALL_AFTER_S, HealthBoard, consumer_report, healthy, read_health


def _board(tmp_path: Path) -> HealthBoard:
    board = HealthBoard(tmp_path / HEALTH_FILE)
    board.consumer("pipeline", "turing-pipeline", "commands")
    board.consumer("projector", "-", "*")
    return board


def test_lag_comes_from_the_projection_and_our_own_deliveries_not_the_broker(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.progressed("pipeline", {("commands", 0): 10, ("commands", 1): 4}, 14)
    board.record_produced({("runs", 0): 29})  # the worker wrote runs[0] up to offset 29
    projected = {("commands", 0): 12, ("commands", 1): 4, ("runs", 0): 25}
    report = {c["name"]: c for c in consumer_report(board.snapshot(), projected, {})}
    assert report["pipeline"]["lag"] == 2  # commands[0]: 12 known to exist, 10 committed
    assert report["projector"]["lag"] == 5  # runs[0]: 30 written, 25 projected
    # The broker's committed offsets win over the heartbeat's own record.
    again = consumer_report(board.snapshot(), projected, {"turing-pipeline": {("commands", 0): 12}})
    assert {c["name"]: c["lag"] for c in again}["pipeline"] == 0
    assert healthy(again)


def test_pending_work_and_no_progress_is_stalled_and_idle_is_not(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.progressed("pipeline", {("commands", 0): 10}, 10)
    later = time.time() + STALL_AFTER_S + 5
    snap = board.snapshot()
    snap["updated_at"] = later  # the heartbeat itself is fresh
    idle = consumer_report(snap, {("commands", 0): 10}, {}, now=later)
    assert not any(c["stalled"] for c in idle) and healthy(idle)
    pending = consumer_report(snap, {("commands", 0): 11}, {}, now=later)
    assert [c["name"] for c in pending if c["stalled"]] == ["pipeline"] and not healthy(pending)


def test_a_stale_heartbeat_or_a_crashed_loop_is_unhealthy(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.error("pipeline", RuntimeError("boom"), state="crashed")
    report = consumer_report(board.snapshot(), {}, {})
    assert not healthy(report) and report[0]["last_error"] == "RuntimeError: boom"
    fresh = _board(tmp_path)
    snap = fresh.snapshot()
    stale = consumer_report(snap, {}, {}, now=float(snap["updated_at"]) + 60)
    assert {c["state"] for c in stale} == {"no heartbeat"} and not healthy(stale)


def test_the_heartbeat_file_is_private_and_readable_back(tmp_path: Path) -> None:
    board = _board(tmp_path)
    board.count("pipeline", dead_letters=2)
    board.write()
    mode = stat.S_IMODE(os.stat(tmp_path / HEALTH_FILE).st_mode)
    assert mode == 0o600
    back = read_health(tmp_path)
    assert back is not None and back["consumers"][0]["dead_letters"] == 2
    assert read_health(tmp_path / "nowhere") is None
