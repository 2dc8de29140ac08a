"""Occupations, and job titles to occupations: a title normalised against occupations' preferred and alternative labels.

In order: the label itself after `normalise`; the title without the words a job title adds
to the occupation it names (seniority, contract, place, gender tags, anything after " - ",
a comma or a parenthesis: "Senior Software Developer (m/f/d)"); the closest label by
rapidfuzz's token-sort ratio, at least 90.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from processors.taxonomy.text import fold, normalise

_TITLE_NOISE = re.compile(
    r"\((?:m|f|w|d|x|h)(?:\s*/\s*(?:m|f|w|d|x|h))*\)|\b(?:senior|sr|junior|jr|lead|principal|staff|chief|"
    r"head|trainee|intern|graduate|entry[- ]level|mid[- ]level|experienced|remote|hybrid|full[- ]time|"
    r"part[- ]time|contract|freelance|temporary|i{1,3}|iv)\b\.?|\s[-\u2013|:/]\s.*$|[,|(].*$"
)
FUZZY_CUTOFF = 90


@dataclass(frozen=True)
class Occupation:
    """An occupation (ESCO) with the skills it needs: what a title implies."""

    uri: str
    name: str
    synonyms: tuple[str, ...] = ()
    isco: str = ""
    essential: tuple[str, ...] = ()  # skill codes
    optional: tuple[str, ...] = ()

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


class TitleIndex:
    def __init__(self, occupations: Iterable[Occupation]) -> None:
        jobs = list(occupations)
        # Preferred labels first, so an alternative label never hides another's name.
        self.keys: dict[str, Occupation] = {}
        for o in jobs:
            self.keys.setdefault(normalise(o.name), o)
        for o in jobs:
            for alias in o.synonyms:
                self.keys.setdefault(normalise(alias), o)
        self.labels = sorted(self.keys)

    def find(self, title: str) -> Occupation | None:
        key = normalise(title)
        found = self.keys.get(key)
        if found is not None or not key:
            return found
        core = normalise(_TITLE_NOISE.sub(" ", fold(title)))
        found = self.keys.get(core)
        if found is not None or not core or not self.labels:
            return found
        best = process.extractOne(core, self.labels, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF)
        return self.keys[best[0]] if best else None
