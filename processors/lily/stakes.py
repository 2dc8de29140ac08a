"""The E vs T readings `hybrid-1` adds to `rules-1`'s (seed 000's addendum: stakes decide).

- an employer named by its kind ("at a bank", "for a law firm") is professional context,
  as a named one ("at JPMorgan") already is for `rules-1`;
- client work is stakes: "for small-business clients", "as a freelancer", "contract work";
- live systems are stakes: "production experience", "client-facing", "revenue-generating";
- a setting without stakes makes an outcome E, not T: a side project, a personal or
  university project, an internship, a hackathon, open-source or volunteer work;
- "N years in investment banking" names an industry, not a skill: the years are E and the
  industry is where they were spent;
- a language level ("at C1") is never a context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMPLOYER = re.compile(
    r"\b(?:at|for|with|within)\s+(?:a|an|one\s+of\s+the)\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?P<kind>investment\s+bank|bank|hedge\s+fund|asset\s+manager|insurer|hospital|clinic|law\s+firm|"
    r"accounting\s+firm|consultancy|consulting\s+firm|retailer|airline|manufacturer|utility|3PL|"
    r"logistics\s+provider|carrier|software\s+company|tech(?:nology)?\s+company|fintech|start-?up|scale-?up|"
    r"agency|newsroom|publisher|broadcaster|hotel|restaurant|pharmaceutical\s+company|telco)\b",
    re.IGNORECASE,
)
_CLIENTS = re.compile(
    r"\b(?:freelanc\w*|as\s+an?\s+(?:independent\s+)?contractor|contract\s+(?:work|basis|roles?)|"
    r"for\s+(?:[\w-]+\s+){0,2}clients?|client\s+(?:work|projects?|engagements?)|paying\s+customers?)\b",
    re.IGNORECASE,
)
_LIVE = re.compile(
    r"\b(?:production\s+(?:experience|systems?|environments?|workloads?|services?|code|databases?|clusters?)|"
    r"in\s+production|(?:client|customer)[- ]facing|revenue[- ]generating|mission[- ]critical|live\s+systems?)\b",
    re.IGNORECASE,
)
_NO_STAKES = re.compile(
    r"\b(?:side[- ]projects?|personal\s+projects?|pet\s+projects?|hobby(?:ist)?\s*(?:projects?)?|"
    r"(?:university|academic|school|class|course|student|capstone|lab|thesis)\s+projects?|coursework|"
    r"lab(?:oratory)?\s+(?:stud(?:y|ies)|experiments?)|"
    r"internships?|as\s+an?\s+intern|hackathons?|open[- ]source\s+(?:projects?|contributions?|work)|"
    r"volunteer(?:ing)?\s+(?:projects?|work|basis)|as\s+an?\s+volunteer|volunteering(?!\s+(?:programmes?|programs?|coordinat\w*|manag\w*|teams?|strateg\w*))|self[- ]study|bootcamp)\b",
    re.IGNORECASE,
)
_INDUSTRIES = (
    r"investment\s+banking|retail\s+banking|corporate\s+banking|private\s+banking|banking|insurance|"
    r"reinsurance|asset\s+management|wealth\s+management|private\s+equity|venture\s+capital|hedge\s+funds?|"
    r"financial\s+services|fintech|capital\s+markets|retail|e-?commerce|hospitality|healthcare|health\s+care|"
    r"pharma(?:ceuticals)?|biotech(?:nology)?|life\s+sciences|telecoms?|telecommunications|automotive|"
    r"aerospace|defen[cs]e|construction|manufacturing|oil\s+and\s+gas|energy|utilities|mining|real\s+estate|"
    r"aviation|shipping|media|publishing|advertising|gaming|FMCG|CPG|consumer\s+goods|fashion|luxury|"
    r"the\s+public\s+sector|public\s+sector|government|higher\s+education|non-?profits?|charities|"
    r"professional\s+services|management\s+consulting|food\s+service|travel|pharmaceuticals?|chemicals?|"
    r"agriculture|tourism|semiconductors?|commercial\s+aviation"
)
_INDUSTRY = re.compile(
    r"\b(?:years?|yrs?|months?|decades?)(?:'s|')?\s+(?:of\s+)?(?:(?:[\w-]+\s+){0,2}experience\s+|work(?:ing)?\s+)?"
    rf"(?:in|within|across)\s+(?:the\s+)?(?P<industry>{_INDUSTRIES}|[a-z]+(?:\s+[a-z]+)?(?=\s+(?:industry|sector)\b))"
    r"(?:\s+(?:industry|sector|space))?\b"
    r"(?!\s+(?:software|systems?|technology|analytics|operations|regulation|law|compliance|products?))",
    re.IGNORECASE,
)
_LEVEL = re.compile(
    r"^(?:[ABC][12](?:\s+level)?|native|fluent|business|professional|conversational|basic|intermediate|advanced)"
    r"(?:\s+level)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Setting:
    """A phrase of the line that says where the work was done."""

    text: str
    start: int
    end: int


def employer(text: str) -> Setting | None:
    m = _EMPLOYER.search(text)
    return Setting("a " + " ".join(m.group("kind").lower().split()), m.start(), m.end()) if m else None


def client_work(text: str) -> Setting | None:
    m = _CLIENTS.search(text)
    if m is None:
        return None
    label = "freelance" if m.group(0).lower().startswith("freelanc") else " ".join(m.group(0).lower().split())
    return Setting(label, m.start(), m.end())


def live_systems(text: str) -> Setting | None:
    m = _LIVE.search(text)
    return Setting(" ".join(m.group(0).lower().split()), m.start(), m.end()) if m else None


def no_stakes(text: str) -> Setting | None:
    m = _NO_STAKES.search(text)
    return Setting(" ".join(m.group(0).lower().split()), m.start(), m.end()) if m else None


def industry(text: str) -> Setting | None:
    m = _INDUSTRY.search(text)
    if m is None:
        return None
    name = re.sub(r"^the\s+", "", " ".join(m.group("industry").split()), flags=re.IGNORECASE)
    return Setting(name.lower() if not name.isupper() else name, m.start("industry"), m.end())


def settings(text: str) -> list[Setting]:
    """Every phrase that says where the work was done (employer, clients, live systems, no stakes)."""
    found = [employer(text), client_work(text), live_systems(text), no_stakes(text)]
    return [f for f in found if f is not None]


def is_level(context: str) -> bool:
    """A "context" that is only a language level ("C1", "B2 level"): not professional context."""
    return bool(_LEVEL.match(context.strip()))
