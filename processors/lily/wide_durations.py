"""Durations `rules-1` does not read, for `hybrid-1`: "ten-plus years", "two decades",
"five (5) years", "10 or more years", "twenty-four months", "a year and a half", "a dozen years".

It also says which durations are no experience at all: a rate ("$750K a year") or the period
an outcome was kept up over ("two years running", "zero incidents over 3 years").

`rules-1` keeps its own reader (durations.py) so its output never changes; `hybrid-1` asks
this one only for lines where that reader found nothing.
"""

from __future__ import annotations

import re

from processors.lily.durations import WORD_NUMBERS, Duration, find_durations
from processors.lily.durations import _qualifier as qualifier
from processors.lily.model import ExperienceOp, ExperienceUnit

_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_UNITS = {w: n for w, n in WORD_NUMBERS.items() if isinstance(n, int) and 1 <= n <= 9 and " " not in w}
_UNITS = {w: n for w, n in _UNITS.items() if w not in {"a", "an"}}
_COMPOUND = rf"(?:{'|'.join(_TENS)})[- ](?:{'|'.join(_UNITS)})"
WORDS = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS if w not in {"a", "an"}), key=len, reverse=True))
_NUM = rf"(?:\d+(?:\.\d+)?|{_COMPOUND}|{WORDS})"
_UNIT = r"(?P<unit>years?|yrs?|months?|mos?|decades?)(?:'s|')?"
_AT_LEAST = r"at\s+least|a\s+minimum\s+of|minimum(?:\s+of)?|over|more\s+than|upwards\s+of|well\s+over"
_ABOUT = r"around|about|approximately|roughly|nearly|almost|close\s+to"

_WIDE = re.compile(
    rf"(?<![\w$€£])(?:(?P<ge>{_AT_LEAST})\s+|(?P<about>{_ABOUT})\s+)?"
    rf"(?:(?P<half>(?:a|one)\s+(?:year|yr)\s+and\s+a\s+half|(?:one\s+and\s+a\s+half|1\s+and\s+a\s+half)\s+years?)"
    rf"|(?P<decade>(?:a|one)\s+decade)(?P<dplus>[- ]?(?:plus|\+))?"
    rf"|(?P<dozen>(?:half\s+)?(?:a|one)\s+dozen)\s+(?P<dunit>years?|yrs?|months?)(?:'s|')?"
    rf"|(?P<lo>{_NUM})(?:\s*\(\s*\d+(?:\.\d+)?\s*\))?"
    rf"(?:\s*(?:-|\u2013|to)\s*(?P<hi>{_NUM})(?:\s*\(\s*\d+(?:\.\d+)?\s*\))?)?"
    rf"(?P<plus>\s*\+|[- ]plus|\s+or\s+more)?[\s-]*{_UNIT}(?P<plus2>\s*\+|\s+plus|\s+or\s+more)?)",
    re.IGNORECASE,
)


def number(text: str) -> float | None:
    """Digits, a number word or a compound one ("twenty-four")."""
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key in WORD_NUMBERS:
        return WORD_NUMBERS[key]
    m = re.fullmatch(r"(\w+)[- ](\w+)", key)
    if m and m.group(1) in _TENS and m.group(2) in _UNITS:
        return _TENS[m.group(1)] + _UNITS[m.group(2)]
    try:
        return float(key)
    except ValueError:
        return None


def find_wide_durations(text: str) -> list[Duration]:
    """`rules-1`'s durations, each replaced by a wider reading that covers it ("a year and a half")."""
    wide = [d for d in (_build(text, m) for m in _WIDE.finditer(text)) if d is not None]
    out: list[Duration] = []
    for d in find_durations(text):
        longer = [w for w in wide if w.start <= d.start and d.end <= w.end and w != d]
        out.append(longer[0] if longer else d)
    taken = [(d.start, d.end) for d in out]
    out += [w for w in wide if not any(w.start < e and s < w.end for s, e in taken)]
    return sorted(set(out), key=lambda d: d.start)


def _build(text: str, m: re.Match[str]) -> Duration | None:
    value_max: float | None = None
    unit: ExperienceUnit = "years"
    if m.group("half"):
        value, in_words = 1.5, True
        plus = False
    elif m.group("decade"):
        value, in_words, plus = 10.0, True, bool(m.group("dplus"))
    elif m.group("dozen"):
        value, in_words, plus = (6.0 if m.group("dozen").lower().startswith("half") else 12.0), True, False
        unit = "months" if m.group("dunit").lower().startswith("mo") else "years"
    else:
        lo = number(m.group("lo"))
        if lo is None:
            return None
        value, in_words = lo, not m.group("lo")[0].isdigit()
        raw_unit = m.group("unit").lower()
        if raw_unit.startswith("decade"):
            value *= 10
            value_max = (number(m.group("hi")) or 0) * 10 if m.group("hi") else None
        else:
            unit = "months" if raw_unit.startswith("mo") else "years"
            value_max = number(m.group("hi")) if m.group("hi") else None
        plus = bool(m.group("plus") or m.group("plus2"))
    op: ExperienceOp
    if value_max is not None and value_max > value:
        op = "range"
    elif plus or m.group("ge"):
        op, value_max = ">=", None
    elif m.group("about"):
        op, value_max = "~", None
    else:
        op, value_max = "==", None
    return Duration(value, value_max, unit, op, qualifier(text, m.end()), m.start(), m.end(), in_words)


# "$750K a year", "40 hours per week": the duration is what a figure is counted over.
_RATE_BEFORE = re.compile(
    r"(?:[$€£]\s*\d[\d,.]*\s*(?:[kmb]n?|million|billion|thousand)?|\d[\d,.]*\s*(?:[kmb]|million|billion|thousand|%|usd|eur|gbp))\s*$",
    re.IGNORECASE,
)
_RATE_WORD = re.compile(r"(?:\bper|\beach|\bevery|/)\s*$", re.IGNORECASE)
# "two years running", "three years in a row": a streak, not time in the job.
# "two years running a bakery" is time in a job: only a clause-ending "running" is a streak.
_STREAK_AFTER = re.compile(
    r"^\s*(?:(?:running|straight)\s*(?:$|[,.;)]|\b(?:and|but)\b)|in\s+a\s+row\b|consecutively\b)",
    re.IGNORECASE,
)
# "zero incidents over 3 years": the span an outcome held over, said after the outcome.
_SPAN_BEFORE = re.compile(
    r"\b(?:over|across|during|throughout|within|in)\s+(?:the\s+)?(?:(?:past|last)\s+)?$", re.IGNORECASE
)


_WINDOW = 60


def cut_word(text: str, d: Duration) -> bool:
    """A "duration" whose unit is the start of a longer word: "3 mo" of "3 mobile apps"."""
    return text[d.end : d.end + 1].isalpha()


def is_period(text: str, d: Duration, after_outcome: bool) -> bool:
    """A duration that is no experience: a rate, a streak, or (`after_outcome`: an outcome
    is read before it) the span an outcome held over."""
    # Only the words next to the duration matter; a bounded window keeps a long line linear.
    before, after = text[max(0, d.start - _WINDOW) : d.start], text[d.end : d.end + _WINDOW]
    raw = text[d.start : d.end].lower()
    if _STREAK_AFTER.match(after) or _RATE_WORD.search(before):
        return True
    if raw.startswith(("a ", "an ", "one ")) and _RATE_BEFORE.search(before):
        return True
    spanned = raw.startswith(("over", "across", "during", "throughout", "within")) or _SPAN_BEFORE.search(
        before
    )
    return bool(after_outcome and spanned and not re.match(r"^\s*(?:of|'|experience)", after, re.IGNORECASE))
