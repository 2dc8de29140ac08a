"""Outcomes `rules-1` does not read, for `hybrid-1` (seed 000's outcome taxonomy):

- scale with words between the figure and its noun: "serving 10M monthly active users",
  "2,000+ independent retailers";
- efficiency as a before and after: "cut month-end close from 10 days to 4", "from 3 hours
  to 20 minutes" (the value is the share of time saved, in %);
- growth as a team or a base grown "from 3 to 12";
- a figure with a multiplier counts whatever plural noun follows ("4 million monthly shoppers");
- before and after in words or milliseconds ("from six weeks to 10 days", "from 800 ms to 120 ms");
- of a "from A to B" that rules-1 reads as two figures, B is the outcome ("grew ARR from $2M to $8M");
- a metric improved "from 30 to 60" (NPS, satisfaction, accuracy...) is quality;
- markets entered and people hired are growth ("expanded into 5 new markets", "hired 40 engineers");
- doubled / tripled is growth in %, halved time is efficiency;
- audits, inspections and certifications passed or earned are compliance.

`rules-1`'s own reader (outcomes.py) stays as it is.
"""

from __future__ import annotations

import re
from itertools import pairwise

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
    r"records|claims|invoices|loans|policies|contracts|installations|properties|flights|routes|trucks|"
    r"participants|respondents|attendees|trainees|delegates"
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


_METRIC = re.compile(
    rf"\b(?:NPS|CSAT|satisfaction|scores?|ratings?|accuracy|retention|uptime|availability|first-pass\s+yield|yield)\b"
    rf"[^.;]{{0,30}}?\bfrom\s+(?P<a>{_NUMBER})\s*%?\s+to\s+(?P<b>{_NUMBER})\s*(?P<pct>%)?",
    re.IGNORECASE,
)
_PLACES = r"markets|countries|regions|cities|territories|states|locations|stores|sites|offices|branches"
_EXPANDED = re.compile(
    rf"\b(?:expanded|expanding|entered|entering|launched|launching|opened|opening)\b[^.;]{{0,25}}?\b"
    rf"(?P<num>{_NUMBER})\+?\s+(?:new\s+)?(?:[a-z]+\s+)?(?P<noun>{_PLACES})\b",
    re.IGNORECASE,
)
_HIRED = re.compile(
    rf"\b(?:hired|recruited|hiring|recruiting)\s+(?:over\s+|more\s+than\s+)?(?P<num>{_NUMBER})\+?\s+"
    r"(?:[a-z][\w-]*\s+){0,2}?(?P<noun>people|staff|employees|engineers|developers|nurses|teachers|agents|reps|"
    r"salespeople|analysts|hires)\b",
    re.IGNORECASE,
)
_TIMES = {"doubled": 100.0, "tripled": 200.0, "trebled": 200.0, "quadrupled": 300.0}
_MULTIPLIED = re.compile(
    r"\b(?P<verb>doubled|tripled|trebled|quadrupled|halved)\b(?P<what>[^.;,]{0,40})", re.IGNORECASE
)
_TIME_WORDS = re.compile(
    r"\b(?:time|times|cycle|latency|turnaround|lead\s+time|duration|wait|backlog)\b", re.IGNORECASE
)
_COST_WORDS = re.compile(r"\b(?:costs?|spend|expenses?|budget|bill)\b", re.IGNORECASE)
_PASSED = re.compile(
    r"\b(?:(?:passed|cleared|achieved|obtained|secured|earned|gained|attained)\s+(?:[\w-]+\s+){0,5}?"
    r"|(?:successful|clean|unqualified)\s+(?:[\w-]+\s+){0,3}?)"
    r"(?:audits?|inspections?|certification|accreditation|assessments?)\b",
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
    # Readings that say what a figure rules-1 read means: they replace the rules-1 outcome under them.
    overriding = [*_overrides(text)]
    found = [o for o in found if not any(o.start < w.end and w.start < o.end for w in overriding)]
    found = _to_not_from(text, found)
    found = [o for o in found if not _listed(text, o.start)]
    taken = DisjointSpans()
    for o in found:
        taken.add_if_free(o.start, o.end)
    extra: list[Outcome] = []

    def add(o: Outcome) -> None:
        if not _listed(text, o.start) and taken.add_if_free(o.start, o.end):
            extra.append(o)

    for o in overriding:
        add(o)
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
        if m.group("noun").lower() not in _NOT_COUNTED and not text[
            max(0, m.start() - 8) : m.start()
        ].rstrip().endswith(("$", "€", "£")):
            value = _value(m.group("num")) * _MULT.get(m.group("mult").lower(), 1.0)
            add(Outcome("scale", value, m.group("noun").lower(), m.start(), m.end()))
    return sorted([*found, *extra], key=lambda o: o.start)


# "Fortune 500 clients", "FTSE 100 firms": the figure names a list, it counts nothing.
_INDEX_BEFORE = re.compile(
    r"\b(?:Fortune|FTSE|S&P|Global|Inc\.?|Russell|Nasdaq|DAX|CAC|Forbes)\s*$", re.IGNORECASE
)


def _listed(text: str, start: int) -> bool:
    return bool(_INDEX_BEFORE.search(text[max(0, start - 12) : start]))


def _overrides(text: str) -> list[Outcome]:
    out: list[Outcome] = []
    for m in _METRIC.finditer(text):
        if _value(m.group("b")) != _value(m.group("a")):
            out.append(
                Outcome("quality", _value(m.group("b")), "%" if m.group("pct") else None, m.start(), m.end())
            )
    for m in _EXPANDED.finditer(text):
        out.append(Outcome("growth", _value(m.group("num")), m.group("noun").lower(), m.start(), m.end()))
    for m in _HIRED.finditer(text):
        out.append(Outcome("growth", _value(m.group("num")), "people", m.start(), m.end()))
    for m in _MULTIPLIED.finditer(text):
        verb, what = m.group("verb").lower(), m.group("what")
        if verb != "halved":
            out.append(Outcome("growth", _TIMES[verb], "%", m.start(), m.end("verb")))
        elif _TIME_WORDS.search(what):
            out.append(Outcome("efficiency", 50.0, "% less time", m.start(), m.end("verb")))
        elif _COST_WORDS.search(what):
            out.append(Outcome("financial", 50.0, "% less", m.start(), m.end("verb")))
    for m in _PASSED.finditer(text):
        out.append(Outcome("compliance", None, None, m.start(), m.end()))
    return out


def _to_not_from(text: str, found: list[Outcome]) -> list[Outcome]:
    """ "from $2M to $8M" read as two outcomes: the one after "to" is where it got to."""
    drop = set()
    found = sorted(found, key=lambda o: o.start)
    for a, b in pairwise(found):
        if (
            a.category == b.category
            and re.search(r"\bfrom\s*$", text[max(0, a.start - 12) : a.start])
            and re.fullmatch(r"\s*(?:up\s+|down\s+)?to\s*", text[a.end : b.start])
        ):
            drop.add(id(a))
    return [o for o in found if id(o) not in drop]
