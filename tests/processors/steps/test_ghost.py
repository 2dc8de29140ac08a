"""ghost_score: documented weights, reproducible, monotone."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from processors.llm.tasks import MissingInput
from processors.steps import ghost
from processors.steps.models import GhostInput, GhostOutput

RULES = "rules-1"
AS_OF = datetime(2026, 12, 1, tzinfo=UTC)


def _score(**fields: object) -> GhostOutput:
    base: dict[str, object] = {
        "posted_at": AS_OF - timedelta(days=90),
        "first_seen_at": AS_OF - timedelta(days=80),
        "as_of": AS_OF,
        "has_salary": True,
        "description_chars": 2000,
    }
    base.update(fields)
    return ghost.GHOST_SCORE.rules(GhostInput.model_validate(base), RULES)  # type: ignore[misc]


def test_score_matches_the_documented_arithmetic() -> None:
    out = _score(times_seen=4, times_changed=3, has_salary=False, description_chars=150, ihl_score=0.5)
    expected = (
        40 * (1 - math.exp(-90 / 45))  # 34.59
        + 20 * (1 - math.exp(-3 / 3))  # 12.64
        + 10 * (1 - math.exp(-3 / 3))  # 6.32
        + 8  # no salary
        + 8 * (1 - 150 / 300)  # 4
        + 14 * 0.5  # 7
    )
    assert out.ghost_score == pytest.approx(expected, abs=0.01)  # 72.55
    assert len(out.signals) == 6 and out.signals[0].startswith("posted 90 days ago")


def test_a_fresh_complete_posting_scores_zero() -> None:
    assert _score(posted_at=AS_OF) == GhostOutput(ghost_score=0.0, signals=[])


def test_first_seen_is_used_without_a_posting_date_and_naive_times_are_utc() -> None:
    out = _score(posted_at=None, first_seen_at=datetime(2026, 11, 1), as_of=AS_OF)
    assert out.signals[0].startswith("first seen 30 days ago")
    assert out.ghost_score == pytest.approx(40 * (1 - math.exp(-30 / 45)), abs=0.01)


def test_a_posting_date_after_as_of_counts_as_new() -> None:
    assert _score(posted_at=AS_OF + timedelta(days=3)).ghost_score == 0.0


def test_score_saturates_below_one_hundred() -> None:
    out = _score(
        posted_at=AS_OF - timedelta(days=5000),
        times_seen=500,
        times_changed=500,
        has_salary=False,
        description_chars=0,
        ihl_score=1.0,
    )
    assert 99.0 < out.ghost_score <= 100.0


def test_same_input_same_score() -> None:
    assert _score(times_seen=3) == _score(times_seen=3)


def test_check_and_prompt() -> None:
    inp = GhostInput(posted_at=None, first_seen_at=AS_OF, as_of=AS_OF)
    assert ghost.GHOST_SCORE.check(inp, GhostOutput(ghost_score=30, signals=[]))
    assert ghost.GHOST_SCORE.check(inp, GhostOutput(ghost_score=0, signals=[])) == []
    prompt = ghost.GHOST_SCORE.build_prompt(inp)
    assert AS_OF.isoformat() in prompt.user
    assert prompt.hash != ghost.GHOST_SCORE.build_prompt(inp.model_copy(update={"times_seen": 2})).hash
    with pytest.raises(MissingInput, match="as_of"):
        ghost.GHOST_SCORE.build_prompt(inp.model_copy(update={"as_of": None}))
