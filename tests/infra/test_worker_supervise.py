"""A crashed consumer loop is restarted; one that keeps crashing stops the worker (exit 1)."""

from __future__ import annotations

import threading
from typing import Any

from infra.worker import supervise
from streams.health import HealthBoard


class FlakyLoop:
    """Stands in for a ConsumerLoop: crashes `crashes` times, then runs until stopped."""

    def __init__(self, crashes: int):
        self.name, self.health = "pipeline", HealthBoard(None)
        self.health.consumer("pipeline", "turing-pipeline", "commands")
        self.left, self.runs = crashes, 0

    def run(self, stop: threading.Event) -> None:
        self.runs += 1
        if self.left:
            self.left -= 1
            raise RuntimeError("broker connection lost")
        stop.set()  # a healthy run lasts until the worker stops


def _supervise(loop: Any, max_restarts: int) -> tuple[threading.Event, threading.Event]:
    stop, fatal = threading.Event(), threading.Event()
    supervise(loop, stop, fatal, max_restarts=max_restarts, pause=lambda _: 0.0)
    return stop, fatal


def test_a_crashed_loop_is_restarted_and_its_restarts_are_counted() -> None:
    loop = FlakyLoop(crashes=2)
    _, fatal = _supervise(loop, max_restarts=5)
    assert loop.runs == 3 and not fatal.is_set()
    state = loop.health.snapshot()["consumers"][0]
    assert state["restarts"] == 2 and state["last_error"] == "RuntimeError: broker connection lost"


def test_a_loop_that_keeps_crashing_makes_the_worker_give_up() -> None:
    loop = FlakyLoop(crashes=100)
    stop, fatal = _supervise(loop, max_restarts=3)
    assert fatal.is_set() and stop.is_set() and loop.runs == 4
    assert loop.health.snapshot()["consumers"][0]["state"] == "crashed"
