"""Lexical candidates: a taxonomy's names and synonyms found in a line, exactly or nearly.

Three ways a window of words (at most `MAX_WORDS`) can name a skill, strongest first:
the alias word for word (folded), the same content words in any order and inflection
("staff management" for "manage staff"), or the alias after a word it does not know is
corrected to the nearest alias word by rapidfuzz's ratio ("Javascipt"). Short aliases ("R", "Go", "C#") and those the taxonomy marks case-sensitive only
count as written, in the label's case, and not as a line's first word: in lower case they are ordinary English. A parenthesis-stripped label
("Java" from "Java (computer programming)") counts a little less than the label itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from processors.linking.text import FILLERS, STOPWORDS, Word, alias_forms, content_key, words
from processors.taxonomy.model import Skill

MAX_WORDS = 6
NAME, SYNONYM, BARE, REORDERED = 1.0, 0.95, 0.93, 0.88
FUZZY_CUTOFF = 90.0  # rapidfuzz ratio, 0..100
FUZZY_WEIGHT = 0.85  # times the ratio
_FUZZY_MIN_CHARS = 6


@dataclass(frozen=True)
class LexicalHit:
    skill: int  # index into the skills the index was built from
    weight: float
    start: int  # word indices, end exclusive
    end: int
    how: str  # exact | reordered | fuzzy


@dataclass(frozen=True)
class _Alias:
    skill: int
    weight: float
    cased: str | None  # the exact text required, for short and bare aliases


@dataclass
class LexicalIndex:
    exact: dict[tuple[str, ...], list[_Alias]] = field(default_factory=dict)
    reordered: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # alias words, sorted by length
    _lengths: list[int] = field(default_factory=list)
    _known: frozenset[str] = frozenset()
    _corrections: dict[str, tuple[str, float]] = field(default_factory=dict)

    @classmethod
    def build(cls, skills: list[Skill]) -> LexicalIndex:
        index = cls()
        vocabulary: set[str] = set()
        for i, skill in enumerate(skills):
            for n, alias in enumerate(skill.aliases):
                if alias in skill.lookup_only:
                    continue
                for k, form in enumerate(alias_forms(alias)):
                    ws = words(form)
                    toks = tuple(w.folded for w in ws)
                    if not toks or (len(toks) == 1 and toks[0] in FILLERS):
                        continue
                    weight = BARE if k else NAME if n == 0 else SYNONYM
                    cased = form if (alias in skill.case_sensitive or len(form) <= 3) else None
                    index.exact.setdefault(toks, []).append(_Alias(i, weight, cased))
                    if cased is None:
                        vocabulary.update(t for t in toks if len(t) >= _FUZZY_MIN_CHARS and t.isalpha())
                        if len(toks) > 1:
                            index.reordered.setdefault(content_key(ws), []).append(i)
        index.vocabulary = sorted(vocabulary, key=lambda t: (len(t), t))
        index._lengths = [len(t) for t in index.vocabulary]
        index._known = frozenset(t for toks in index.exact for t in toks)
        return index

    def correct(self, token: str) -> tuple[str, float]:
        """The token, or the nearest alias word by rapidfuzz ratio (>= FUZZY_CUTOFF), with the ratio."""
        if token in self._known or len(token) < _FUZZY_MIN_CHARS or not token.isalpha():
            return token, 100.0
        memo = self._corrections
        if token not in memo:
            if len(memo) > 100_000:
                memo.clear()
            # ratio >= c bounds the other word's length to [n·c/(2-c), n·(2-c)/c].
            c = FUZZY_CUTOFF / 100
            lo = bisect.bisect_left(self._lengths, int(len(token) * c / (2 - c)))
            hi = bisect.bisect_right(self._lengths, int(len(token) * (2 - c) / c) + 1)
            best = process.extractOne(
                token, self.vocabulary[lo:hi], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            memo[token] = (best[0], float(best[1])) if best else (token, 100.0)
        return memo[token]

    def find(self, line: str, ws: list[Word] | None = None) -> dict[int, LexicalHit]:
        """The best hit per skill named in `line` (word offsets index `ws`, or `words(line)`)."""
        ws = words(line) if ws is None else ws
        fixed = [self.correct(w.folded) for w in ws]
        hits: dict[int, LexicalHit] = {}

        def offer(hit: LexicalHit) -> None:
            old = hits.get(hit.skill)
            if old is None or (hit.weight, hit.end - hit.start) > (old.weight, old.end - old.start):
                hits[hit.skill] = hit

        for i in range(len(ws)):
            for n in range(1, min(MAX_WORDS, len(ws) - i) + 1):
                window = ws[i : i + n]
                if window[0].folded in STOPWORDS or window[-1].folded in STOPWORDS:
                    continue
                toks = tuple(w.folded for w in window)
                for alias in self.exact.get(toks, ()):
                    if alias.cased is None or _as_written(line, window, alias.cased, i == 0):
                        offer(LexicalHit(alias.skill, alias.weight, i, i + n, "exact"))
                ratio = min(r for _, r in fixed[i : i + n])
                if ratio < 100:
                    for alias in self.exact.get(tuple(t for t, _ in fixed[i : i + n]), ()):
                        if alias.cased is None:
                            weight = round(FUZZY_WEIGHT * alias.weight * ratio / 100, 4)
                            offer(LexicalHit(alias.skill, weight, i, i + n, "fuzzy"))
                if n > 1:
                    for skill in self.reordered.get(content_key(window), ()):
                        offer(LexicalHit(skill, REORDERED, i, i + n, "reordered"))
        return hits


def _as_written(line: str, window: list[Word], cased: str, first: bool) -> bool:
    return not first and line[window[0].start : window[-1].end] == cased
