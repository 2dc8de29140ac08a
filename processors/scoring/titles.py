"""Job titles: normalisation (seed 001 §4.5.2), seniority levels (§5.4), executive and entry-level roles."""

from __future__ import annotations

import re
from collections.abc import Sequence

from processors.taxonomy.model import Taxonomy

LEVELS = ("junior", "mid", "senior", "lead", "director", "vp", "c_level")

# Multi-word phrases first so "software developer" becomes one token before single words map.
_PHRASES = (
    (re.compile(r"\bsoftware (engineer|developer)\b|\bsde\b|\bswe\b"), "software_engineer"),
    (re.compile(r"\bproduct manager\b|\bpm\b"), "product_manager"),
    (re.compile(r"\bvice president\b"), "vp"),
    (re.compile(r"\bhead of\b"), "director"),
    (re.compile(r"\bnew grad(uate)?\b|\bentry[ -]level\b"), "junior"),
)
_WORDS = {
    "sr": "senior",
    "senior": "senior",
    "lead": "senior",
    "jr": "junior",
    "junior": "junior",
    "associate": "junior",
    "engineering": "engineer",
    "developer": "engineer",
    "dev": "engineer",
    "mgr": "manager",
}
_NOISE = re.compile(r"\([^)]*\)|[^\w\s]")
_CHIEF = re.compile(r"\b(chief|ceo|cto|cfo|coo|cio|cmo|cpo|ciso|president|founder)\b")


def normalize_title(title: str) -> str:
    """Lower case, parentheses and punctuation dropped, the seed's synonyms folded, words sorted.

    "Sr. Software Developer" and "Senior Software Engineer" both give `senior software_engineer`.
    """
    text = _NOISE.sub(" ", title.casefold().replace(".", " "))
    for pattern, token in _PHRASES:
        text = pattern.sub(token, text)
    words = [_WORDS.get(w, w) for w in text.split()]
    return " ".join(sorted(dict.fromkeys(words)))


def infer_level(title: str) -> str | None:
    """One of LEVELS; a title with no seniority word is mid level; an empty title is unknown."""
    text = _NOISE.sub(" ", title.casefold().replace(".", " "))
    if not text.strip():
        return None
    if _CHIEF.search(text):
        return "c_level"
    if re.search(r"\b(vp|vice president|svp|evp)\b", text):
        return "vp"
    if re.search(r"\b(director|head of)\b", text):
        return "director"
    if re.search(r"\b(lead|principal|staff|architect)\b", text):
        return "lead"
    if re.search(r"\b(senior|sr)\b", text):
        return "senior"
    if re.search(
        r"\b(junior|jr|intern|trainee|graduate|grad|entry level|entry-level|apprentice|associate)\b", text
    ):
        return "junior"
    return "mid"


def is_executive(title: str) -> bool:
    """VP, director and C-suite titles (seed 001 §9.4)."""
    return infer_level(title) in ("director", "vp", "c_level")


def is_entry_level(title: str, years_min: float | None, years_max: float | None) -> bool:
    """Marked entry level / new grad / junior, or asking for at most a year (seed 001 §9.3)."""
    if infer_level(title) == "junior":
        return True
    return (years_max is not None and years_max <= 1) or (
        years_min is not None and years_min == 0 and years_max is None
    )


def same_occupation(titles: Sequence[str], target: str, taxonomy: Taxonomy) -> bool:
    """A title and the posting's name the same occupation of the taxonomy (ESCO: preferred and
    alternative labels, then rapidfuzz, see `occupations.TitleIndex`): "Staff Accountant" and
    "accountant" are one role. False when the taxonomy has no occupations."""
    if not taxonomy.occupations or not target.strip():
        return False
    job = taxonomy.occupation(target)
    return job is not None and any(
        (o := taxonomy.occupation(t)) is not None and o.uri == job.uri for t in titles
    )
