"""Requirement strength: does the posting insist on it? Independent of parse confidence.

Decision (documented for the labelled set too): "nice to have", "a plus", "bonus", "good
to have", "welcome", "optional" -> nice_to_have; "preferred", "ideally", "desirable",
"advantageous", "an advantage", "beneficial" -> preferred; "required", "must",
"essential", "mandatory", "minimum" -> required; no cue -> required, because a posting
lists what it asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from processors.lily.spans import DisjointSpans

_CUES: list[tuple[str, str]] = [
    (
        r"nice[- ]to[- ]have|good[- ]to[- ]have|(?:is\s+|would\s+be\s+)?an?\s+(?:big\s+|definite\s+|real\s+)?plus"
        r"|\bbonus\b|(?:would\s+be\s+)?welcome[d]?|\boptional\b|not\s+(?:required|essential|mandatory)",
        "nice_to_have",
    ),
    (
        r"\bprefer(?:red|ably)?\b|\bideally\b|\bdesir(?:able|ed)\b|\badvantageous\b|\ban\s+advantage\b"
        r"|\bbeneficial\b|\bhighly\s+regarded\b|\bvalued\b",
        "preferred",
    ),
    (
        r"\brequired\b|\brequire[sd]?\b|\bmust\b|\bessential\b|\bmandatory\b|\bminimum\b|\bnecessary\b"
        r"|\bneeded\b|\bneed\s+to\b|\bcompulsory\b",
        "required",
    ),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), s) for p, s in _CUES]
# Clauses break at these; list commas are re-joined by the caller when a piece is only skills.
# A dash break starts where its whitespace run starts (or right after a ". " or ": " break):
# trying every position inside a long run made the search quadratic in the run's length.
_CLAUSE_BREAK = re.compile(
    r"(?:(?<!\s)|(?<=[.:]\s))\s+[-\u2013\u2014]\s+|[;()]|\.\s|,|\bbut\b|\bwhile\b|:\s", re.IGNORECASE
)


@dataclass(frozen=True)
class Cue:
    strength: str
    start: int
    end: int


def find_cues(text: str) -> list[Cue]:
    found: list[Cue] = []
    taken = DisjointSpans()
    for rx, strength in _COMPILED:
        for m in rx.finditer(text):
            if taken.add_if_free(m.start(), m.end()):
                found.append(Cue(strength, m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a line."""
    bounds = [0]
    for m in _CLAUSE_BREAK.finditer(text):
        bounds.extend((m.start(), m.end()))
    bounds.append(len(text))
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2) if bounds[i + 1] > bounds[i]]
