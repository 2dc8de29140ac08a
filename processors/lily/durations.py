"""Durations in requirement lines: "5+ years", "two to three years", "a decade", "18 months".

A duration is the E layer's quantity. It never decides on its own whether a line is about
experience or a skill: "3 years Python" is skill `python` plus a 3-year experience layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from processors.lily.model import ExperienceOp, ExperienceUnit

WORD_NUMBERS: dict[str, float] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "a couple of": 2,
    "a couple": 2,
    "a": 1,
    "an": 1,
}

# Words that qualify the experience rather than name a skill; the first set is the one that
# leaves a line meaningless without context (seed 000 §7).
VAGUE_QUALIFIERS = ("relevant", "related", "applicable", "similar", "comparable", "equivalent")
QUALIFIERS = (
    *VAGUE_QUALIFIERS,
    "post-qualification",
    "post qualification",
    "pqe",
    "professional",
    "hands-on",
    "commercial",
    "industry",
    "practical",
    "progressive",
    "direct",
    "proven",
    "demonstrable",
)

_WORDS = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_NUM = rf"(?:\d+(?:\.\d+)?|{_WORDS})"
_UNIT = r"(?P<unit>years?|yrs?|months?|mos?)(?:'s|')?"
_AT_LEAST = (
    r"at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than|in\s+excess\s+of|no\s+less\s+than|upwards\s+of"
)
_AT_MOST = r"no\s+more\s+than|up\s+to|at\s+most|maximum(?:\s+of)?|max\.?|less\s+than|under|fewer\s+than"
_ABOUT = r"around|about|approximately|approx\.?|roughly|circa|c\.|~"

_DURATION = re.compile(
    rf"(?<![\w$€£])(?:(?P<pre_ge>{_AT_LEAST})\s+|(?P<pre_le>{_AT_MOST})\s+|(?P<pre_about>{_ABOUT})\s*|(?P<between>between)\s+)?"
    rf"(?:(?P<half>half\s+a\s+year)"
    rf"|(?P<decade>(?:a|one)\s+decade)"
    rf"|(?P<lo>{_NUM})(?:\s*(?:-|\u2013|\u2014|to|and)\s*(?P<hi>{_NUM}))?\s*(?P<plus>\+)?[\s-]*{_UNIT}(?P<plus2>\s*\+)?)"
    r"(?P<post>\s+(?:or\s+more|plus|or\s+above|minimum|min\b|or\s+less|or\s+fewer|max\b|maximum))?",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"\b(" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Duration:
    value: float
    value_max: float | None
    unit: ExperienceUnit
    op: ExperienceOp
    qualifier: str | None
    start: int
    end: int
    in_words: bool


def number(text: str) -> float | None:
    """A number written as digits or words ("5", "five", "a couple of")."""
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key in WORD_NUMBERS:
        return WORD_NUMBERS[key]
    try:
        return float(key)
    except ValueError:
        return None


def find_durations(text: str) -> list[Duration]:
    return [_build(text, m) for m in _DURATION.finditer(text)]


def _build(text: str, m: re.Match[str]) -> Duration:
    in_words = False
    value_max: float | None = None
    unit: ExperienceUnit
    op: ExperienceOp
    if m.group("half"):
        value, unit, in_words = 6.0, "months", True
    elif m.group("decade"):
        value, unit, in_words = 10.0, "years", True
    else:
        lo = number(m.group("lo"))
        value = lo if lo is not None else 0.0
        in_words = not m.group("lo")[0].isdigit()
        unit = "months" if m.group("unit").lower().startswith("mo") else "years"
        if m.group("hi"):
            value_max = number(m.group("hi"))
    post = (m.group("post") or "").strip().lower()
    if value_max is not None and value_max > value:
        op = "range"
    elif (
        m.group("pre_ge")
        or m.group("plus")
        or m.group("plus2")
        or post in {"or more", "plus", "or above"}
        or post in {"minimum", "min"}
    ):
        op = ">="
    elif m.group("pre_le") or post in {"or less", "or fewer", "max", "maximum"}:
        op = "<="
    elif m.group("pre_about"):
        op = "~"
    else:
        op = "=="
    if op != "range":
        value_max = None
    return Duration(value, value_max, unit, op, _qualifier(text, m.end()), m.start(), m.end(), in_words)


def _qualifier(text: str, end: int) -> str | None:
    # The qualifier sits between the duration and the word "experience": "5 years' relevant experience".
    window = text[end : end + 40]
    m = _QUALIFIER.search(window)
    if m is None:
        return None
    exp = re.search(r"\bexperience\b", window, re.IGNORECASE)
    if exp is not None and m.start() > exp.start():
        return None
    q = m.group(1).lower()
    return "post-qualification" if q in {"pqe", "post qualification"} else q


def qualifier_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUALIFIER.finditer(text)]


def vague_experience(text: str) -> str | None:
    """The vague qualifier of a line like "Relevant experience required", if any."""
    m = re.search(
        r"\b("
        + "|".join(VAGUE_QUALIFIERS)
        + r")\s+(?:\w+\s+)?(?:experience|background|field|role|position|capacity|sector|industry|environment)\b",
        text,
        re.IGNORECASE,
    )
    return m.group(1).lower() if m else None


def spellings(value: float, unit: str) -> set[str]:
    """Every way `value` may appear in the source text, for grounding checks."""
    forms = {f"{value:g}"}
    forms.update(word for word, n in WORD_NUMBERS.items() if n == value and len(word) > 2)
    if value == 10 and unit == "years":
        forms.add("decade")
    if value == 6 and unit == "months":
        forms.add("half a year")
    if value == 1:
        forms.update({"a year", "a month", "one"})
    return forms
