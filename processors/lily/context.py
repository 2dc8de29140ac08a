"""Professional context (the E vs T test) and injected instructions.

Seed 000's addendum: T is an outcome delivered with professional stakes — could you get
fired or lose the client? Company names, role titles, production systems, clients,
freelance or consulting work and P&L are the markers. Without them a duration is E.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STAKES = re.compile(
    r"\b(?:in\s+(?:a\s+)?(?:live\s+)?production(?:\s+environments?)?|production[- ](?:systems?|environments?|grade|code|workloads?)|"
    r"client[- ]facing|customer[- ]facing|for\s+(?:enterprise\s+|external\s+|paying\s+)?(?:clients|customers)|to\s+(?:enterprise|external|paying)\s+(?:clients|customers)|"
    r"freelance|consulting|consultancy|agency\s+(?:side|environment)|P&L|profit\s+and\s+loss|"
    r"mission[- ]critical|regulated\s+environments?|commercial(?=\s+(?:experience|setting|environment))|"
    r"(?:in|at)\s+(?:a\s+)?(?:big\s+4|big\s+four|tier[- ]1\s+\w+|fortune\s+500)(?:\s+\w+)?|"
    r"(?:law\s+firm|investment\s+bank|hospital|nhs\s+trust|acute\s+setting|live\s+site))\b",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"\bas\s+(?:an?\s+|the\s+)?(?P<role>(?:Lead|Senior|Principal|Head|Chief|VP|Vice\s+President|Director|"
    r"Manager|Partner|Team\s+Lead|Tech\s+Lead|Staff|Charge|Site|General|Store|Project|Engineering)"
    r"(?:\s+(?:of\s+)?[A-Z][\w&-]*){0,3})",
)
# A capitalised name after "at"/"for": "at Goldman", "for Deutsche Bank".
_ORG = re.compile(r"\b(?:at|for)\s+(?P<org>(?:[A-Z][\w&.'-]*)(?:\s+(?:&\s+)?[A-Z][\w&.'-]*){0,3})")
_NOT_ORG = {"least", "a", "an", "the", "all", "scale", "Python", "Java", "SQL", "AWS"}

_INJECTION = re.compile(
    r"(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|your)\s+"
    r"(?:instructions|prompts?|rules|directions)|\byou\s+are\s+now\b|\bsystem\s+prompt\b|"
    r"\bnew\s+instructions\s*:|<\|im_start\|>|\[/?INST\]|\bact\s+as\s+(?:an?\s+)?(?:different|new|unrestricted)\b|"
    r"\b(?:output|return|respond\s+with)\s+(?:only\s+)?(?:the\s+following|this\s+json)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Marker:
    text: str
    start: int
    end: int


def professional_markers(text: str, skill_spans: list[tuple[int, int]]) -> list[Marker]:
    """Stakes, role and organisation markers; a capitalised word that is a known skill is no employer."""
    found: list[Marker] = []
    for m in _STAKES.finditer(text):
        found.append(Marker(m.group(0), m.start(), m.end()))
    for m in _ROLE.finditer(text):
        found.append(Marker("as " + m.group("role"), m.start(), m.end()))
    for m in _ORG.finditer(text):
        org = m.group("org")
        s, e = m.span("org")
        if org.split()[0] in _NOT_ORG or any(s < se and e > ss for ss, se in skill_spans):
            continue
        found.append(Marker(org, m.start(), m.end()))
    return sorted(found, key=lambda k: k.start)


def context_label(marker: Marker) -> str:
    """What goes into track_record.context: the organisation, role or stakes phrase."""
    text = re.sub(r"^(?:in|for|at)\s+(?:a\s+)?", "", marker.text, flags=re.IGNORECASE)
    return text.strip()[:200]


def injection_start(text: str) -> int | None:
    """Where injected instructions begin; the sentence holding them is dropped whole."""
    m = _INJECTION.search(text)
    if m is None:
        return None
    cut = max(text.rfind(sep, 0, m.start()) for sep in (".", ";", "\n", "!", "?"))
    return cut + 1 if cut >= 0 else 0
