"""Words of a line with their offsets, folded and stemmed forms for lexical matching.

The stemmer is deliberately light (a few English suffixes): it only has to make
"managing staff", "staff management" and "manage staff" meet, not to be linguistics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A word starts with a letter or digit and may carry + and # (C++, C#) and inner dots (Node.js).
_WORD = re.compile(r"[^\W_][\w+#]*(?:\.[^\W_][\w+#]*)*")
_PARENS = re.compile(r"\s*\([^)]*\)")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "for",
        "with",
        "on",
        "at",
        "by",
        "as",
        "is",
        "are",
        "be",
        "being",
        "been",
        "we",
        "you",
        "our",
        "your",
        "will",
        "would",
        "from",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "they",
        "them",
        "who",
        "which",
        "what",
        "when",
        "where",
        "how",
        "such",
        "than",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "also",
        "other",
        "others",
        "any",
        "all",
        "some",
        "etc",
        "per",
        "via",
        "into",
        "within",
        "across",
        "about",
        "over",
        "under",
        "up",
        "out",
        "not",
        "no",
        "nor",
        "very",
        "more",
        "most",
    ]
)
# Words a job ad wraps around skills; a window that starts or ends with one is not a mention.
FILLERS = STOPWORDS | frozenset(
    [
        "well",
        "good",
        "strong",
        "excellent",
        "solid",
        "deep",
        "great",
        "proven",
        "ability",
        "able",
        "experience",
        "experienced",
        "years",
        "year",
        "knowledge",
        "skills",
        "skill",
        "understanding",
        "proficiency",
        "proficient",
        "familiarity",
        "familiar",
        "working",
        "plus",
        "required",
        "requirements",
        "preferred",
        "nice",
        "have",
        "has",
        "having",
        "using",
        "use",
        "ideally",
        "including",
    ]
)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "ed", "es", "s", "e")


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int
    folded: str
    stem: str


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def stem(folded: str) -> str:
    if not folded.isalpha():
        return folded
    for _ in range(2):  # "management" -> "manage" -> "manag", where "managing" and "manage" end too
        for suffix in _SUFFIXES:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 4:
                folded = folded[: -len(suffix)]
                break
        else:
            break
    return folded


@lru_cache(maxsize=200_000)
def _forms(token: str) -> tuple[str, str]:
    # Words repeat across 25,000 aliases and every line: fold and stem each spelling once.
    f = fold(token)
    return f, stem(f)


def words(text: str) -> list[Word]:
    out = []
    for m in _WORD.finditer(text):
        f, s = _forms(m.group(0))
        out.append(Word(m.group(0), m.start(), m.end(), f, s))
    return out


def content_key(phrase: str | list[Word]) -> tuple[str, ...]:
    """The sorted stems of a phrase's content words: word order and inflection do not matter."""
    ws = words(phrase) if isinstance(phrase, str) else phrase
    return tuple(sorted(w.stem for w in ws if w.folded not in STOPWORDS))


def alias_forms(label: str) -> list[str]:
    """A label and, when it carries a parenthesis, the label without it ("Python (computer programming)")."""
    bare = _PARENS.sub("", label).strip()
    return [label, bare] if bare and bare != label else [label]
