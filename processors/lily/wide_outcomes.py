"""Outcomes `rules-1` does not read, for `hybrid-1` (seed 000's outcome taxonomy):

- scale with words between the figure and its noun: "serving 10M monthly active users",
  "2,000+ independent retailers";
- efficiency as a before and after: "cut month-end close from 10 days to 4", "from 3 hours
  to 20 minutes" (the value is the share of time saved, in %);
- growth as a team or a base grown "from 3 to 12".

`rules-1`'s own reader (outcomes.py) stays as it is.
"""

from __future__ import annotations

import re

from processors.lily.outcomes import _MULT, Outcome, find_outcomes
from processors.lily.spans import DisjointSpans

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT_RX = r"(?:thousand|million|billion|bn|mn|mm|[kmb])\b"
_NOUNS = (
    r"users|customers|clients|members|subscribers|transactions|requests|queries|events|downloads|visitors|"
    r"merchants|retailers|businesses|sellers|buyers|patients|students|learners|employees|staff|people|"
    r"stores|sites|branches|locations|restaurants|hotels|beds|covers|websites|apps|applications|"
    r"servers|nodes|devices|orders|shipments|parcels|pallets|vehicles|accounts|tickets|calls|cases|"
    r"projects|products|markets|countries|engineers|developers|reports|volunteers"
)
_SCALE = re.compile(
    rf"\b(?P<num>{_NUMBER})\s*(?P<mult>{_MULT_RX})?\+?\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<noun>{_NOUNS})\b",
    re.IGNORECASE,
)
_TIME_UNITS = {
    "second": 1 / 60, "sec": 1 / 60, "minute": 1.0, "min": 1.0, "hour": 60.0, "hr": 60.0,
    "day": 1440.0, "week": 10080.0, "month": 43200.0,
}  # fmt: skip
_TIME = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)"
_FROM_TO = re.compile(
    rf"\bfrom\s+(?P<a>{_NUMBER})\s*(?P<ua>{_TIME})?\s+(?:down\s+)?to\s+(?P<b>{_NUMBER})\s*(?P<ub>{_TIME})?",
    re.IGNORECASE,
)
_GROWTH = re.compile(
    rf"\b(?:grew|grow|growing|scaled|scaling|built|building|expanded|expanding|increased)\b[^.;]{{0,40}}?"
    rf"\bfrom\s+(?P<a>{_NUMBER})\s+to\s+(?P<b>{_NUMBER})\b",
    re.IGNORECASE,
)


def _value(num: str) -> float:
    return float(num.replace(",", ""))


def _minutes(unit: str | None) -> float:
    key = (unit or "").lower().rstrip("s")
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
    return sorted([*found, *extra], key=lambda o: o.start)
