"""Folding, normalising and tokenising names and text, as the taxonomy compares them.

The lowest piece of the taxonomy: skills (`model`) and occupation titles (`occupations`)
both key their names this way, so a name and the text it is searched in agree.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s/\-\u2010-\u2015_.,;:()\[\]{}|]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
# A token starts with a letter or digit, may carry + and # (C++, C#) and inner dots (Node.js),
# and keeps a leading dot only when it starts a word (".NET", not the end of a sentence).
TOKEN = re.compile(r"(?:(?<![\w.])\.(?=[^\W_]))?[^\W_][\w+#]*(?:\.[^\W_][\w+#]*)*")
_SHORT = re.compile(r"^[^\W_]{1,2}$")


def fold(text: str) -> str:
    # Casefold between two decompositions: casefolding can produce characters that decompose.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def normalise(name: str) -> str:
    """A skill name's key: case and accents folded, apostrophes dropped, separators to `_`.

    "CI/CD", "CI-CD" and "ci cd" all become `ci_cd`; "C#" and "C++" keep their symbols.
    """
    return _SEPARATORS.sub("_", _APOSTROPHES.sub("", fold(name))).strip("_")


def tokens(text: str) -> list[str]:
    """Folded word tokens, as `Taxonomy.find_in_text` compares them."""
    return [fold(m.group(0)) for m in TOKEN.finditer(text)]


def is_short(alias: str) -> bool:
    """One token of at most two letters or digits: too ambiguous to match in any case."""
    return bool(_SHORT.match(alias.strip()))
