"""Lily's cost grows linearly with the line (item 8), and a line past the cap is read in part,
flagged LINE_TRUNCATED. Timings are compared within one run, never against a wall-clock bound."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from processors.lily.model import MAX_LINE_CHARS
from processors.lily.rules import decompose
from processors.lily.task import TASK, LilyInput
from processors.taxonomy import store

SHAPES: dict[str, Callable[[int], str]] = {
    "mixed": lambda n: _repeat(
        "5+ years of Python and Kubernetes, AWS certified, grew revenue 20% for clients; ", n
    ),
    "skill list": lambda n: _repeat("Python, ", n),
    "whitespace run": lambda n: "Python" + " " * n + "Java",
    "degrees": lambda n: _repeat("Bachelor's degree in Computer Science or equivalent; ", n),
    "numbers": lambda n: _repeat("12 ", n),
}


def _repeat(piece: str, n: int) -> str:
    return (piece * (n // len(piece) + 1))[:n]


def _best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("ruleset", ["rules-1", "rules-broad"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ten_times_the_line_costs_about_ten_times_the_time(shape: str, ruleset: str) -> None:
    taxonomy = store.builtin()
    short, long = SHAPES[shape](10_000), SHAPES[shape](100_000)
    decompose(short, taxonomy, ruleset=ruleset, max_chars=None)  # warm the caches
    t_short = _best_of(3, lambda: decompose(short, taxonomy, ruleset=ruleset, max_chars=None))
    t_long = _best_of(2, lambda: decompose(long, taxonomy, ruleset=ruleset, max_chars=None))
    # Linear gives about 10, quadratic about 100; the floor keeps timer noise on tiny runs out.
    ratio = t_long / max(t_short, 0.005)
    assert ratio < 25, f"{shape}/{ruleset}: 10k chars {t_short:.3f}s, 100k chars {t_long:.3f}s ({ratio:.0f}x)"


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a quadratic 1 MB line ran for longer than five minutes."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_one_megabyte_line_is_read_up_to_the_cap_and_flagged() -> None:
    line = SHAPES["mixed"](1_000_000)
    with _deadline(60):
        decomposition = TASK.rules(LilyInput(text=line, title="Engineer"), "rules-broad")  # type: ignore[misc]
    assert decomposition.text == line  # the line itself is kept whole
    stacks = decomposition.proof_stacks
    assert stacks and all("LINE_TRUNCATED" in s.flags for s in stacks)
    assert {s.skill.name for s in stacks if s.skill} >= {"Python", "Kubernetes"}
    assert len(TASK.build_prompt(LilyInput(text=line)).user) < MAX_LINE_CHARS + 100


def test_a_line_within_the_cap_is_not_flagged() -> None:
    stacks = decompose(SHAPES["mixed"](MAX_LINE_CHARS), store.builtin())
    assert stacks and not any("LINE_TRUNCATED" in s.flags for s in stacks)
