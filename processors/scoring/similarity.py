"""Semantic similarity is injected: seed 001 uses embeddings, the default here is lexical.

Components that call the similarity (and nothing else does):
- Fit `soft_skills`: the profile's soft-skill names against the posting's (seed 001 §4.3);
- Fit `role_match`: each current/past title against the posting title when no normalised
  title matches exactly (seed 001 §4.5);
- Stretch `target_role`: each target role against the posting title (seed 001 §5.2).

A similarity returns a value in [-1, 1] like a cosine; the lexical default stays in [0, 1].
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

_WORD = re.compile(r"[^\W_]+(?:[+#]+)?")


class Similarity(Protocol):
    def __call__(self, a: str, b: str, /) -> float: ...


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def lexical_similarity(a: str, b: str) -> float:
    """Half word-set Jaccard, half character-trigram Jaccard: deterministic, symmetric, in [0, 1].

    Trigrams give partial credit for shared stems ("mentoring" / "mentorship") that whole
    words miss. Two empty texts share nothing (0.0), so an empty side is never a match.
    """
    fa, fb = _fold(a), _fold(b)
    words_a, words_b = set(_WORD.findall(fa)), set(_WORD.findall(fb))
    if not words_a or not words_b:
        return 0.0
    joined_a, joined_b = " ".join(sorted(words_a)), " ".join(sorted(words_b))
    return 0.5 * _jaccard(words_a, words_b) + 0.5 * _jaccard(_trigrams(joined_a), _trigrams(joined_b))
