"""Outcomes, the T layer's substance: money, scale, percentages, compliance results.

Categories follow seed 000's outcome taxonomy: scale (users, throughput, beds, stores),
financial (revenue, savings, AUM, budgets), efficiency (time, automation), quality
(uptime, errors, satisfaction), growth (teams built, markets expanded), compliance
(audits, inspections, safety records).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from processors.lily.model import OutcomeCategory
from processors.lily.spans import DisjointSpans

_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CODES = ("USD", "EUR", "GBP", "CHF", "AUD", "CAD", "INR", "JPY", "SGD")
_MULT = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT_RX = r"(?:thousand|million|billion|bn|mn|mm|[kmb])\b"

_MONEY = re.compile(
    rf"(?P<sym>[$€£¥])\s?(?P<num>{_NUMBER})\s*(?P<mult>{_MULT_RX})?\+?"
    rf"|\b(?P<code>{'|'.join(_CODES)})\s?(?P<num2>{_NUMBER})\s*(?P<mult2>{_MULT_RX})?\+?"
    rf"|\b(?P<num3>{_NUMBER})\s*(?P<mult3>{_MULT_RX})?\s*(?P<code3>{'|'.join(_CODES)}|dollars|euros|pounds)\b"
    rf"|\b(?:budgets?|revenue|turnover|portfolios?|P&L|sales|AUM|deals?|spend)\s+(?:of\s+|worth\s+|over\s+|exceeding\s+|up\s+to\s+)*"
    rf"(?P<num4>{_NUMBER})\s*(?P<mult4>thousand|million|billion|bn|mn)\b",
    re.IGNORECASE,
)
_SCALE_NOUNS = (
    r"users|customers|clients|members|subscribers|transactions|requests|queries|messages|events|downloads|"
    r"beds|stores|sites|branches|locations|outlets|restaurants|hotels|rooms|covers|properties|residents|"
    r"employees|staff|people|reports|engineers|developers|nurses|agents|teachers|volunteers|"
    r"students|pupils|learners|patients|cases|vehicles|trucks|drivers|warehouses|pallets|installations|"
    r"shipments|orders|parcels|accounts|countries|markets|servers|nodes|devices|endpoints|"
    r"projects|schools|units|homes|matters|claims|calls|tickets|seats"
)
_SCALE = re.compile(
    rf"\b(?P<num>{_NUMBER})\s*(?P<mult>{_MULT_RX})?\+?(?:-|\s)?(?:[a-z]+\s+)?"
    rf"(?P<noun>{_SCALE_NOUNS}|bed|seat|person|strong|store|site|cover|room)\b"
    r"(?P<rate>\s+(?:per|a|/)\s*(?:second|sec|minute|hour|day|week|month|year)|/(?:s|sec|day|month))?",
    re.IGNORECASE,
)
_TEAM = re.compile(
    rf"\b(?P<verb>built|build|grew|grow|growing|hired|hire|scaled|scale|formed|assembled|created|establish\w*)?"
    rf"(?:\s+(?:and\s+\w+\s+)?)?(?:a\s+)?team\s+(?:of|from\s+\d+\s+to)\s+(?P<num>{_NUMBER})\+?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUMBER})\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_COMPLIANCE = re.compile(
    r"\b(?:passed\s+(?:\w+\s+){0,2}(?:audits?|inspections?)|zero\s+(?:[\w-]+\s+)?(?:findings|non-?conformities|"
    r"incidents|violations|breaches)|clean\s+(?:\w+\s+)?audits?|no\s+(?:major\s+)?(?:audit\s+)?findings|"
    r"(?:CQC|Ofsted)\s+(?:rating\s+)?(?:of\s+)?(?:good|outstanding)|regulatory\s+inspections?|"
    r"100\s*%\s+compliance|unqualified\s+audit\s+opinions?)",
    re.IGNORECASE,
)
_RECORD = re.compile(
    r"\b(?:(?:proven|strong|demonstrable|demonstrated|successful)\s+)?track\s+record\b|\bsuccessfully\s+"
    r"(?:delivered|led|launched|managed|closed|built|shipped)\b|\bproven\s+(?:ability|history|record)\b|"
    r"\bhistory\s+of\s+(?:exceeding|delivering|meeting)\b|\b(?:exceeded|exceeding|surpassed|beat)\s+"
    r"(?:\w+\s+){0,2}(?:targets?|quotas?)\b",
    re.IGNORECASE,
)

# Nouns decide a percentage's category; verbs only when no noun does.
_PERCENT_NOUNS: list[tuple[str, OutcomeCategory]] = [
    (r"audit|complian|regulator", "compliance"),
    (
        r"uptime|availability|accuracy|satisfaction|csat|nps|error|defect|quality|sla|retention|churn|"
        r"complaint|readmission|incident|downtime|first[- ]time\s+fix|on[- ]time",
        "quality",
    ),
    (
        r"revenue|sales|profit|margin|arr|mrr|bookings|cost|spend|expense|saving|budget|quota|ebitda|roi|"
        r"return|fees|billing",
        "financial",
    ),
    (
        r"time|cycle|throughput|productivity|processing|turnaround|lead\s+time|latency|automat|manual|"
        r"efficien|utili[sz]ation|waste|fuel",
        "efficiency",
    ),
    (
        r"market\s+share|customer\s+base|user\s+base|headcount|enrol|adoption|growth|footprint|pipeline",
        "growth",
    ),
]
_PERCENT_VERBS: list[tuple[str, OutcomeCategory]] = [
    (r"grew|grow|expand|scal|increas|doubl|tripl", "growth"),
    (r"reduc|cut|sav|lower|automat|streamlin|shorten|decreas", "efficiency"),
    (r"improv|rais|achiev|maintain|deliver", "quality"),
]
_RECORD_NOUNS: list[tuple[str, OutcomeCategory]] = [
    (r"\b(?:audit|complian|inspection|regulator|safety\s+record)", "compliance"),
    (
        r"\b(?:sales|revenue|quotas?|targets?|deals?|fundrais\w*|profit|budgets?|portfolios?|capital)\b",
        "financial",
    ),
    (r"\b(?:on\s+time|on\s+budget|deadlines?|efficien\w*|process\s+improvement|automation)\b", "efficiency"),
    (r"\b(?:teams?|grow\w*|expand\w*|launch\w*|new\s+markets?)\b", "growth"),
    (r"\b(?:enterprise|large[- ]scale|high[- ]traffic|high[- ]volume|scale|millions)\b", "scale"),
    (r"\b(?:quality|satisfaction|outcomes|results|uptime|reliab\w*)\b", "quality"),
]


@dataclass(frozen=True)
class Outcome:
    category: OutcomeCategory
    value: float | None
    unit: str | None
    start: int
    end: int


def _number(num: str, mult: str | None) -> float:
    value = float(num.replace(",", ""))
    return value * _MULT.get((mult or "").lower(), 1.0)


def _category(window: str, table: list[tuple[str, OutcomeCategory]]) -> OutcomeCategory | None:
    for pattern, category in table:
        if re.search(pattern, window, re.IGNORECASE):
            return category
    return None


def find_outcomes(text: str) -> list[Outcome]:
    """Every outcome in text order; spans never overlap (money beats scale beats percent)."""
    found: list[Outcome] = []
    taken = DisjointSpans()

    def add(o: Outcome) -> None:
        if taken.add_if_free(o.start, o.end):
            found.append(o)

    for m in _MONEY.finditer(text):
        if m.group("sym"):
            value, unit = _number(m.group("num"), m.group("mult")), _CURRENCY[m.group("sym")]
        elif m.group("code"):
            value, unit = _number(m.group("num2"), m.group("mult2")), m.group("code").upper()
        elif m.group("code3"):
            code = m.group("code3").lower()
            unit = {"dollars": "USD", "euros": "EUR", "pounds": "GBP"}.get(code, code.upper())
            value = _number(m.group("num3"), m.group("mult3"))
        else:
            value, unit = _number(m.group("num4"), m.group("mult4")), None
        add(Outcome("financial", value, unit, m.start(), m.end()))
    for m in _TEAM.finditer(text):
        category: OutcomeCategory = "growth" if m.group("verb") else "scale"
        add(Outcome(category, _number(m.group("num"), None), "people", m.start(), m.end()))
    for m in _SCALE.finditer(text):
        noun = re.sub(r"\s+", " ", m.group("noun").lower())
        unit = {
            "bed": "beds",
            "seat": "seats",
            "person": "people",
            "strong": "people",
            "store": "stores",
            "cover": "covers",
            "room": "rooms",
        }.get(noun, noun)
        unit = {"site": "sites"}.get(unit, unit)
        if m.group("rate"):
            unit += " per " + re.sub(r"^\W*(?:per|a)?\s*", "", m.group("rate").strip().lower()).lstrip("/")
        add(Outcome("scale", _number(m.group("num"), m.group("mult")), unit, m.start(), m.end()))
    for m in _PERCENT.finditer(text):
        window = text[max(0, m.start() - 60) : m.end() + 40]
        category = _category(window, _PERCENT_NOUNS) or _category(window, _PERCENT_VERBS) or "quality"
        add(Outcome(category, float(m.group("num").replace(",", "")), "%", m.start(), m.end()))
    for m in _COMPLIANCE.finditer(text):
        add(Outcome("compliance", None, None, m.start(), m.end()))
    if not found:
        for m in _RECORD.finditer(text):
            category = _category(text, _RECORD_NOUNS) or "quality"
            add(Outcome(category, None, None, m.start(), m.end()))
            break
    return sorted(found, key=lambda o: o.start)


def record_category(text: str) -> OutcomeCategory:
    """The category of an outcome the line implies without a figure ("in production", "at Goldman")."""
    return _category(text, _RECORD_NOUNS) or "scale"
