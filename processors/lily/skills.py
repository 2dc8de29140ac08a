"""The S layer: skills named in a line, through the taxonomy, plus spoken languages.

`rules-1` takes exact taxonomy phrases only. `rules-broad` also resolves the line's noun
phrases fuzzily (`Taxonomy.resolve`), at a lower confidence.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from processors.lily.spans import SpanIndex
from processors.taxonomy.model import Taxonomy
from processors.taxonomy.text import normalise

LANGUAGES = (
    "English",
    "German",
    "French",
    "Spanish",
    "Italian",
    "Portuguese",
    "Dutch",
    "Mandarin",
    "Chinese",
    "Cantonese",
    "Japanese",
    "Korean",
    "Arabic",
    "Russian",
    "Polish",
    "Hindi",
    "Swedish",
    "Danish",
    "Norwegian",
    "Finnish",
    "Turkish",
    "Greek",
    "Welsh",
    "Irish",
    "Hebrew",
    "Czech",
    "Ukrainian",
    "Romanian",
    "Hungarian",
    "Vietnamese",
    "Thai",
    "Urdu",
    "Bengali",
    "Punjabi",
    "Tamil",
    "Swahili",
    "Tagalog",
    "Flemish",
    "British Sign Language",
    "American Sign Language",
)
_LANG_RX = re.compile(r"\b(" + "|".join(sorted(LANGUAGES, key=len, reverse=True)) + r")\b")
_PROFICIENCY = re.compile(
    r"\b(?:fluen(?:t|cy)|native|bilingual|business[- ]level|professional[- ]level|proficien(?:t|cy)|"
    r"conversational|working\s+knowledge|written\s+and\s+spoken|spoken\s+and\s+written|speak(?:er|ing|s)?|"
    r"[ABC][12]\b|mother\s+tongue|command\s+of|language)",
    re.IGNORECASE,
)
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "for",
        "to",
        "with",
        "and",
        "or",
        "as",
        "by",
        "from",
        "is",
        "are",
        "be",
        "must",
        "have",
        "has",
        "will",
        "any",
        "all",
        "our",
        "your",
        "their",
        "this",
        "that",
        "we",
        "you",
        "experience",
        "experienced",
        "years",
        "year",
        "months",
        "month",
        "knowledge",
        "skills",
        "skill",
        "strong",
        "good",
        "excellent",
        "solid",
        "proven",
        "ability",
        "able",
        "working",
        "understanding",
        "proficiency",
        "proficient",
        "required",
        "preferred",
        "desirable",
        "essential",
        "plus",
        "etc",
        "including",
        "such",
        "within",
        "using",
        "use",
    ]
)


@dataclass(frozen=True)
class Found:
    name: str
    code: str | None
    start: int
    end: int
    confidence: float


def exact_skills(text: str, taxonomy: Taxonomy) -> list[Found]:
    return [
        Found(m.skill.name, m.skill.code, m.start, m.end, m.confidence) for m in taxonomy.find_in_text(text)
    ]


def languages(text: str, taxonomy: Taxonomy) -> list[Found]:
    """Spoken languages, when the line talks about proficiency ("Fluent German", "French B2")."""
    if _PROFICIENCY.search(text) is None:
        return []
    found: list[Found] = []
    for m in _LANG_RX.finditer(text):
        name = m.group(1)
        skill = taxonomy.lookup(name) or taxonomy.lookup(f"{name} language")
        if skill is not None:
            found.append(Found(skill.name, skill.code, m.start(), m.end(), 0.9))
        else:
            found.append(Found(name, None, m.start(), m.end(), 0.85))
    return found


def fuzzy_skills(text: str, taxonomy: Taxonomy, taken: list[tuple[int, int]]) -> list[Found]:
    """Noun phrases (runs of 1-3 content words outside recognised spans) resolved fuzzily."""
    recognised = SpanIndex(taken)
    words = [
        (m.group(0), m.start(), m.end())
        for m in re.finditer(r"[A-Za-z][A-Za-z+#.'-]*[A-Za-z+#]|[A-Za-z]", text)
        if m.group(0).lower() not in STOP and not recognised.overlaps(m.start(), m.end())
    ]
    found: list[Found] = []
    used: set[int] = set()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            group = words[i : i + n]
            if used.intersection(range(i, i + n)) or _gapped(text, group):
                continue
            phrase = " ".join(w for w, _, _ in group)
            if len(normalise(phrase)) < 4:
                continue
            hit = taxonomy.resolve(phrase, cutoff=0.88)
            if hit is None:
                continue
            skill, score = hit
            found.append(Found(skill.name, skill.code, group[0][1], group[-1][2], round(0.8 * score, 3)))
            used.update(range(i, i + n))
    return sorted(found, key=lambda f: f.start)


def _gapped(text: str, group: list[tuple[str, int, int]]) -> bool:
    # Words of one phrase are separated by spaces or hyphens only, never by punctuation or dropped words.
    return any(not re.fullmatch(r"[\s-]+", text[a[2] : b[1]]) for a, b in itertools.pairwise(group))


def subject_skill(subject: str, taxonomy: Taxonomy, broad: bool) -> Found | None:
    """The skill a credential's subject names ("Computer Science", "nursing")."""
    skill = taxonomy.lookup(subject)
    if skill is not None:
        return Found(skill.name, skill.code, -1, -1, 0.8)
    if broad:
        hit = taxonomy.resolve(subject, cutoff=0.88)
        if hit is not None:
            return Found(hit[0].name, hit[0].code, -1, -1, round(0.7 * hit[1], 3))
    return None
