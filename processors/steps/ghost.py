"""`ghost_score`: 0-100, how likely a posting is stale or not a real opening.

Points (the maxima add up to 100, so no component can drown the others):

| signal | points |
| --- | --- |
| age at `as_of` (days since posted_at, else first_seen_at) | 40 * (1 - exp(-days / 45)) |
| times seen again (times_seen - 1) | 20 * (1 - exp(-(times_seen - 1) / 3)) |
| content changes (times_changed) | 10 * (1 - exp(-times_changed / 3)) |
| no salary | 8 |
| short description (< 300 chars) | 8 * (1 - chars / 300) |
| red-flag verdict | 14 * ihl_score |

Saturating curves: a posting 45 days old has about 25 of the 40 age points, one 180 days old
about 39; more of the same signal says less and less. Every component is non-decreasing in
age, times seen and changes, so the score is too. The reference time is an input, never the
clock, so a replay gives the same score. A posted_at after as_of counts as age 0.

Mandatory prompt inputs: first_seen_at and as_of (the model must not guess "now").
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from processors.llm.protocol import Prompt
from processors.llm.tasks import Task, require
from processors.steps.models import GhostInput, GhostOutput
from processors.steps.rulesets import check_ruleset

AGE_POINTS, AGE_DAYS = 40.0, 45.0
REPOST_POINTS, REPOST_SCALE = 20.0, 3.0
CHANGE_POINTS, CHANGE_SCALE = 10.0, 3.0
NO_SALARY_POINTS = 8.0
SHORT_POINTS, SHORT_CHARS = 8.0, 300
IHL_POINTS = 14.0


def _aware(moment: datetime) -> datetime:
    # Naive timestamps are taken as UTC; mixing naive and aware ones would raise.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _saturating(points: float, amount: float, scale: float) -> float:
    return points * (1.0 - math.exp(-max(0.0, amount) / scale))


def age_days(inp: GhostInput) -> float:
    start = _aware(inp.posted_at or inp.first_seen_at)
    return max(0.0, (_aware(inp.as_of) - start).total_seconds() / 86_400)


def components(inp: GhostInput) -> list[tuple[str, float]]:
    """(signal in words, points) for every signal that scores."""
    days = age_days(inp)
    since = "posted" if inp.posted_at is not None else "first seen"
    out = [(f"{since} {days:.0f} days ago", _saturating(AGE_POINTS, days, AGE_DAYS))]
    out.append((f"seen {inp.times_seen} times", _saturating(REPOST_POINTS, inp.times_seen - 1, REPOST_SCALE)))
    out.append(
        (
            f"content changed {inp.times_changed} times",
            _saturating(CHANGE_POINTS, inp.times_changed, CHANGE_SCALE),
        )
    )
    if not inp.has_salary:
        out.append(("no salary stated", NO_SALARY_POINTS))
    if inp.description_chars < SHORT_CHARS:
        short = SHORT_POINTS * (1.0 - max(0, inp.description_chars) / SHORT_CHARS)
        out.append((f"short description ({inp.description_chars} chars)", short))
    if inp.ihl_score is not None:
        out.append((f"red-flag verdict {inp.ihl_score:.2f}", IHL_POINTS * min(1.0, max(0.0, inp.ihl_score))))
    return [(words, points) for words, points in out if points > 0]


def score(inp: GhostInput) -> GhostOutput:
    parts = components(inp)
    total = round(min(100.0, max(0.0, sum(points for _, points in parts))), 2)
    return GhostOutput(ghost_score=total, signals=[f"{words} (+{points:.1f})" for words, points in parts])


def _rules(inp: GhostInput, ruleset: str) -> GhostOutput:
    check_ruleset(ruleset)
    return score(inp)


def check_ghost(_inp: GhostInput, out: GhostOutput) -> list[str]:
    if out.ghost_score > 0 and not out.signals:
        return ["a non-zero ghost score must name its signals"]
    return []


def build_prompt(inp: GhostInput) -> Prompt:
    first_seen = require(inp.first_seen_at, "first_seen_at")
    as_of = require(inp.as_of, "as_of")
    system = (
        "You estimate from 0 to 100 how likely a job posting is stale or not a real opening, from its "
        "age, how often it was seen again and changed, whether it states pay, its length and a red-flag "
        "verdict. Older, reposted, often-changed, unpaid, short and flagged postings score higher. Judge "
        "age against the reference time given, not today's date. Answer with JSON: ghost_score, signals "
        "(each a short phrase naming a reason)."
    )
    user = (
        f"Reference time: {as_of.isoformat()}\n"
        f"Posted at: {inp.posted_at.isoformat() if inp.posted_at else '(unknown)'}\n"
        f"First seen at: {first_seen.isoformat()}\n"
        f"Times seen: {inp.times_seen}\nTimes changed: {inp.times_changed}\n"
        f"States salary: {'yes' if inp.has_salary else 'no'}\n"
        f"Description length: {inp.description_chars} characters\n"
        f"Red-flag score: {inp.ihl_score if inp.ihl_score is not None else '(none)'}"
    )
    return Prompt(system=system, user=user, version="ghost_score/1")


GHOST_SCORE = Task(
    name="ghost_score",
    input_model=GhostInput,
    output_model=GhostOutput,
    prompt_version="ghost_score/1",
    build_prompt=build_prompt,
    rules=_rules,
    check=check_ghost,
)
