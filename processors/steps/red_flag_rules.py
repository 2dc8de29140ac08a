"""Heuristics behind the red-flag analyst: each finds a flag code, a severity and its evidence.

Text flags quote the sentence that triggered them, so the evidence can be found in the posting;
flags about what is absent (salary, duties) or about metadata (reposts) describe instead.
Severities are fixed per code (raised for stronger variants) so a verdict can be recomputed.
"""

from __future__ import annotations

import re

from processors.steps import cues
from processors.steps.cues import any_of
from processors.steps.models import RedFlag, RedFlagInput
from processors.steps.requirements import extract
from processors.steps.sentences import clip, normalize, sentences, strip_bullet

# Codes whose evidence must be a quote from the posting; the others describe an absence or metadata.
QUOTED_CODES = frozenset(
    {
        "age_bias",
        "contradictory_requirements",
        "unrealistic_requirements",
        "pay_to_apply",
        "mlm",
        "contact_offplatform",
        "prompt_injection",
    }
)
EVIDENCE_CHARS = 200
REPOST_MIN = 3
CONCRETE_DUTIES = 3


AGE_EXPLICIT = any_of(
    r"\b(?:max(?:imum)?|up to|under|below|younger than)\.? (?:the )?(?:age )?(?:of )?\d{2} ?(?:years old|years of age|yrs old)",
    r"\b(?:not|no) older than \d{2}\b|\bage (?:limit|range|max(?:imum)?)\b|\bage:? (?:up to |max\.? )?\d{2}\b",
    r"\baged? (?:between )?\d{2}\s*(?:-|to|and)\s*\d{2}\b|\b\d{2}\s*(?:-|to)\s*\d{2} years old\b",
    r"\brecent graduates? only\b|\bdigital natives?\b|\byoung (?:candidates?|applicants?|persons?|people only)\b",
    r"nicht älter als \d{2}|höchstens \d{2} jahre alt|bis \d{2} jahre alt",
    r"moins de \d{2} ans|âgée? de moins de|menor de \d{2} años|edad máxima|idade máxima|jonger dan \d{2}",
)
AGE_SOFT = any_of(
    r"\byoung(?: and|,)? (?:dynamic|energetic|vibrant|fresh)\b",
    r"\byouthful\b|\bjunges?,? (?:dynamisches )?team\b|\bjeune et dynamique\b|\bjoven y dinámic",
)
ENTRY_LEVEL = any_of(
    r"\bentry[- ]level\b|\bno (?:prior )?experience (?:needed|required|necessary)\b|\bgraduate (?:role|position|program)",
    r"\bjunior (?:role|position|level)\b|\bberufseinsteiger|\bkeine berufserfahrung|\bsin experiencia\b|\bdébutant",
)
NO_EXPERIENCE = any_of(
    r"\bno (?:prior )?experience (?:needed|required|necessary)\b|\bkeine berufserfahrung|\bsin experiencia\b"
)
PAY_TO_APPLY = any_of(
    r"\b(?:training|registration|application|processing|onboarding|placement|visa) fee",
    r"\bpay (?:for )?(?:your |a )?(?:own )?(?:kit|starter kit|training|uniform|background check)\b",
    r"\bupfront (?:payment|fee|cost|investment)\b|\bdeposit (?:is )?required\b|\bpurchase (?:a|your) (?:starter )?kit\b",
    r"schulungsgebühr|anmeldegebühr|frais d'inscription|frais de formation|cuota de inscripción|taxa de inscrição",
)
MLM = any_of(
    r"\bunlimited (?:earning|income)(?: potential)?\b|\bbe your own boss\b|\bcommission[- ]only\b|\b100% commission\b",
    r"\bfinancial freedom\b|\bpassive income\b|\bbuild your own team\b|\bdownline\b|\brecruit (?:your )?friends\b",
    r"\bwork from home and earn\b|\bearn up to \$?\d[\d,]* (?:a|per) (?:week|day)\b",
)
OFF_PLATFORM = any_of(
    r"\bwhats ?app\b|\btelegram\b|\bwechat\b|\bsignal app\b|\bkik\b|\bviber\b",
    r"[\w.+-]+@(?:gmail|yahoo|hotmail|outlook|aol|gmx|web\.de|proton(?:mail)?|icloud|mail\.ru)\.",
    r"\btext (?:me|us) (?:at|on)\b",
)
PERSONAL_EMAIL = re.compile(
    r"[\w.+-]+@(?:gmail|yahoo|hotmail|outlook|aol|gmx|proton(?:mail)?|icloud)\.", re.I
)
BUZZWORDS = any_of(
    r"\brock ?stars?\b|\bninjas?\b|\bgurus?\b|\bsynerg|\bgo-getter\b|\bself-starter\b|\bwear many hats\b",
    r"\bfast-paced\b|\bdynamic\b|\bpassionate\b|\bworld-class\b|\bdisrupt|\bhustle\b|\bwork hard,? play hard\b",
)
_TECH_SINCE = {
    "kubernetes": 2014,
    "rust": 2015,
    "swift": 2014,
    "flutter": 2017,
    "react": 2013,
    "typescript": 2012,
    "docker": 2013,
    "terraform": 2014,
    "kotlin": 2016,
    "fastapi": 2018,
    "chatgpt": 2022,
    "langchain": 2022,
    "large language models": 2018,
    "llms?": 2018,
    "generative ai": 2020,
}
_TECH_YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:years?|yrs?)(?: of)?(?: [\w-]+){0,4}? (?:with |in |of |using )?("
    + "|".join(_TECH_SINCE)
    + r")\b",
    re.I,
)


def _quote(sentence: str) -> str:
    return clip(strip_bullet(sentence), EVIDENCE_CHARS)


def _first(pattern: re.Pattern[str], found: list[str]) -> str | None:
    return next((s for s in found if pattern.search(normalize(s))), None)


def _tech_since(name: str) -> int:
    for key, year in _TECH_SINCE.items():
        if re.fullmatch(key, name.casefold()):
            return year
    return 10_000


def _unrealistic(found: list[str], year: int) -> str | None:
    for sentence in found:
        for match in _TECH_YEARS.finditer(normalize(sentence)):
            if int(match.group(1)) > year - _tech_since(match.group(2)):
                return sentence
    return None


def _salary_stated(inp: RedFlagInput, found: list[str]) -> bool:
    return (
        inp.salary_min is not None or inp.salary_max is not None or any(cues.states_salary(s) for s in found)
    )


def analyse(inp: RedFlagInput) -> list[RedFlag]:
    found = sentences(f"{inp.title}\n{inp.description}")
    flags: list[RedFlag] = []

    def add(code: str, severity: float, evidence: str) -> None:
        flags.append(RedFlag(code=code, severity=round(severity, 2), evidence=evidence))

    if (hit := _first(cues.INJECTION, found)) is not None:
        add("prompt_injection", 0.9, _quote(hit))
    if (hit := _first(PAY_TO_APPLY, found)) is not None:
        add("pay_to_apply", 0.8, _quote(hit))
    mlm_hits = [s for s in found if MLM.search(normalize(s))]
    if mlm_hits:
        add("mlm", 0.7 if len(mlm_hits) > 1 else 0.6, _quote(mlm_hits[0]))
    if (hit := _first(AGE_EXPLICIT, found)) is not None:
        add("age_bias", 0.6, _quote(hit))
    elif (hit := _first(AGE_SOFT, found)) is not None:
        add("age_bias", 0.3, _quote(hit))
    entry = _first(ENTRY_LEVEL, found)
    if entry is not None:
        wants = [
            s
            for s in found
            if (cues.min_years(s) or 0) >= (1 if NO_EXPERIENCE.search(normalize(entry)) else 5)
        ]
        wants = [s for s in wants if cues.matches(cues.INLINE_REQUIREMENT, s)]
        if wants:
            add("contradictory_requirements", 0.5, _quote(wants[0]))
    if inp.posted_at is not None and (hit := _unrealistic(found, inp.posted_at.year)) is not None:
        add("unrealistic_requirements", 0.5, _quote(hit))
    if (hit := _first(OFF_PLATFORM, found)) is not None:
        add("contact_offplatform", 0.6 if PERSONAL_EMAIL.search(hit) else 0.4, _quote(hit))
    duties = len(extract(inp).responsibilities)
    buzz = sum(len(BUZZWORDS.findall(normalize(s))) for s in found)
    if duties < CONCRETE_DUTIES and (duties == 0 or buzz >= 2):
        add("vague_duties", min(0.6, 0.3 + 0.1 * buzz), f"{duties} concrete duties listed, {buzz} buzzwords")
    if not _salary_stated(inp, found):
        add("missing_salary", 0.2, "no salary or pay range stated")
    if inp.times_seen >= REPOST_MIN:
        add("repost", min(0.6, 0.1 * (inp.times_seen - 1)), f"seen {inp.times_seen} times")
    return flags[:20]
