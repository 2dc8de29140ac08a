"""Outcomes `rules-1` does not read, for `hybrid-1` (seed 000's outcome taxonomy):

- scale with words between the figure and its noun: "serving 10M monthly active users",
  "2,000+ independent retailers";
- efficiency as a before and after: "cut month-end close from 10 days to 4", "from 3 hours
  to 20 minutes" (the value is the share of time saved, in %);
- growth as a team or a base grown "from 3 to 12";
- a figure with a multiplier counts whatever plural noun follows ("4 million monthly shoppers");
- before and after in words or milliseconds ("from six weeks to 10 days", "from 800 ms to 120 ms").

`rules-1`'s own reader (outcomes.py) stays as it is.
"""

from __future__ import annotations

import re

from processors.lily.outcomes import _MULT, Outcome, find_outcomes
from processors.lily.spans import DisjointSpans
from processors.lily.wide_durations import WORDS as _WORDS
from processors.lily.wide_durations import number

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT_RX = r"(?:thousand|million|billion|bn|mn|mm|[kmb])\b"
_NOUNS = (
    r"users|customers|clients|members|subscribers|transactions|requests|queries|events|downloads|visitors|"
    r"merchants|retailers|businesses|sellers|buyers|patients|students|learners|employees|staff|people|"
    r"stores|sites|branches|locations|restaurants|hotels|beds|covers|websites|apps|applications|"
    r"servers|nodes|devices|orders|shipments|parcels|pallets|vehicles|accounts|tickets|calls|cases|"
    r"projects|products|markets|countries|engineers|developers|reports|volunteers|shoppers|guests|passengers|"
    r"readers|viewers|listeners|players|contributors|stars|followers|tenants|residents|households|homes|"
    r"partners|suppliers|vendors|agents|reps|outlets|warehouses|plants|schools|donors|sessions|messages|"
    r"records|claims|invoices|loans|policies|contracts|installations|properties|flights|routes|trucks"
)
# With a multiplier ("4 million monthly shoppers", "10K stars") any plural noun names what was counted.
_COUNTED = re.compile(
    rf"\b(?P<num>{_NUMBER})\s*(?P<mult>{_MULT_RX})\+?\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<noun>[a-z][\w-]*[a-rt-z]s)\b",
    re.IGNORECASE,
)
_NOT_COUNTED = {"years", "months", "weeks", "days", "hours", "dollars", "euros", "pounds", "sales", "assets"}
_SCALE = re.compile(
    rf"\b(?P<num>{_NUMBER})\s*(?P<mult>{_MULT_RX})?\+?\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<noun>{_NOUNS})\b",
    re.IGNORECASE,
)
_TIME_UNITS = {
    "millisecond": 1 / 60000, "ms": 1 / 60000, "second": 1 / 60, "sec": 1 / 60, "s": 1 / 60,
    "minute": 1.0, "min": 1.0, "hour": 60.0, "hr": 60.0,
    "day": 1440.0, "week": 10080.0, "month": 43200.0,
}  # fmt: skip
_TIME = r"(?:milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\b"
# "from six weeks to 10 days": a before-and-after in words too.
_AMOUNT = rf"(?:{_NUMBER}|{_WORDS})"
_FROM_TO = re.compile(
    rf"\bfrom\s+(?P<a>{_AMOUNT})\s*(?P<ua>{_TIME})?\s+(?:down\s+)?to\s+(?:just\s+|only\s+|under\s+)?(?P<b>{_AMOUNT})\s*(?P<ub>{_TIME})?",
    re.IGNORECASE,
)
_GROWTH = re.compile(
    rf"\b(?:grew|grow|growing|scaled|scaling|built|building|expanded|expanding|increased)\b[^.;]{{0,40}}?"
    rf"\bfrom\s+(?P<a>{_NUMBER})\s+to\s+(?P<b>{_NUMBER})\b",
    re.IGNORECASE,
)


def _value(num: str) -> float:
    spelled = number(num) if not num[:1].isdigit() else None
    return spelled if spelled is not None else float(num.replace(",", ""))


def _minutes(unit: str | None) -> float:
    key = (unit or "").lower()
    key = key if key in _TIME_UNITS else key.rstrip("s")
    return _TIME_UNITS.get(key, 1.0)


def find_wide_outcomes(text: str) -> list[Outcome]:
    """`rules-1`'s outcomes, then the wider reading's where they do not overlap them."""
    found = find_outcomes(text)
    grown = [m for m in _GROWTH.finditer(text) if _value(m.group("b")) > _value(m.group("a"))]
    # "grew the team from 3 to 12" is growth, though rules-1 reads the team's size as scale.
    found = [
        o
        for o in found
        if not (o.category == "scale" and any(o.start < m.end() and m.start() < o.end for m in grown))
    ]
    taken = DisjointSpans()
    for o in found:
        taken.add_if_free(o.start, o.end)
    extra: list[Outcome] = []

    def add(o: Outcome) -> None:
        if taken.add_if_free(o.start, o.end):
            extra.append(o)

    for m in grown:
        add(Outcome("growth", _value(m.group("b")), None, m.start(), m.end()))
    for m in _FROM_TO.finditer(text):
        unit = m.group("ua") or m.group("ub")
        if unit is None:
            continue
        before = _value(m.group("a")) * _minutes(m.group("ua") or unit)
        after = _value(m.group("b")) * _minutes(m.group("ub") or unit)
        if 0 < after < before:
            add(
                Outcome(
                    "efficiency", round(100 * (before - after) / before, 1), "% less time", m.start(), m.end()
                )
            )
    for m in _SCALE.finditer(text):
        value = _value(m.group("num")) * _MULT.get((m.group("mult") or "").lower(), 1.0)
        add(Outcome("scale", value, m.group("noun").lower(), m.start(), m.end()))
    for m in _COUNTED.finditer(text):
        if m.group("noun").lower() not in _NOT_COUNTED and not text[: m.start()].rstrip().endswith(
            ("$", "€", "£")
        ):
            value = _value(m.group("num")) * _MULT.get(m.group("mult").lower(), 1.0)
            add(Outcome("scale", value, m.group("noun").lower(), m.start(), m.end()))
    return sorted([*found, *extra], key=lambda o: o.start)
