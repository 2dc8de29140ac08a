"""The full-text expression a plain query becomes: words ORed, function words left out.

Postgres' `websearch_to_tsquery` ANDs bare words; lexical retrieval wants any of them, ranked by
how many match. Pure text in, text out, so both the search and the match evidence use it.
"""

from __future__ import annotations

import re

# websearch_to_tsquery ANDs bare words, so "latency reduction" would miss an atom that says
# "latency" but not "reduction". Plain queries are ORed instead and ts_rank_cd rewards atoms
# matching more of them; the 'simple' configuration keeps function words, which would then
# match nearly every atom, so those are left out of the OR.
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "was",
        "were",
        "with",
    ]
)
_SYNTAX = re.compile(r'["()]|(^|\s)-\S|\bor\b', re.IGNORECASE)
_WORD = re.compile(r"\w+")


def lexical_query(text: str) -> str:
    """The web-search expression sent for `text`: as written if it uses the syntax, else words ORed."""
    if _SYNTAX.search(text):
        return text
    words = list(dict.fromkeys(w.casefold() for w in _WORD.findall(text)))
    kept = [w for w in words if w not in _STOP_WORDS] or words
    return " or ".join(kept)
