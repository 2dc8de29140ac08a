"""The skill taxonomy: codes `L1.L2.L3.L4`, names, synonyms, normalisation, lookup in text.

Pure data and functions; loading from files lives in `store.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{3}$")
_SEPARATORS = re.compile(r"[\s/\-\u2013\u2014_.,;:()\[\]]+")
_TOKEN = re.compile(r"[a-z0-9+#]+(?:[.'][a-z0-9+#]+)*")


def normalise(name: str) -> str:
    """A skill name's key: lower case, accents folded, separators to `_`.

    "CI/CD", "CI-CD" and "ci cd" all become `ci_cd`; "C#" and "C++" keep their symbols.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SEPARATORS.sub("_", folded).strip("_")


def tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _TOKEN.findall(folded)


@dataclass(frozen=True)
class Skill:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    kind: str = "hard"  # hard | soft | language | knowledge

    @property
    def key(self) -> str:
        return normalise(self.name)


@dataclass(frozen=True)
class Category:
    code: str  # "01", "01.03" or "01.03.01"
    name: str


@dataclass(frozen=True)
class Edge:
    """An explicit adjacency edge; it overrides taxonomy distance (seed 002 §3)."""

    from_code: str
    to_code: str
    relation: str  # is_a | related_to | adjacent_to | prerequisite_of
    distance: int
    strength: float = 1.0


@dataclass(frozen=True)
class SkillMatch:
    skill: Skill
    start: int
    end: int
    matched: str
    confidence: float


@dataclass
class Taxonomy:
    skills: dict[str, Skill]
    categories: dict[str, Category] = field(default_factory=dict)
    edges: tuple[Edge, ...] = ()
    source: str = "builtin"

    @classmethod
    def from_skills(
        cls,
        skills: Iterable[Skill],
        categories: Iterable[Category] = (),
        edges: Iterable[Edge] = (),
        source: str = "custom",
    ) -> Taxonomy:
        by_code: dict[str, Skill] = {}
        for s in skills:
            if not CODE_RE.match(s.code):
                raise ValueError(f"skill {s.name!r}: code {s.code!r} is not L1.L2.L3.L4 (e.g. 01.03.01.001)")
            if s.code in by_code:
                raise ValueError(f"skill code {s.code} is used twice ({by_code[s.code].name!r}, {s.name!r})")
            by_code[s.code] = s
        return cls(by_code, {c.code: c for c in categories}, tuple(edges), source)

    @cached_property
    def _by_key(self) -> dict[str, Skill]:
        index: dict[str, Skill] = {}
        for s in sorted(self.skills.values(), key=lambda s: s.code):
            for alias in (s.name, *s.synonyms):
                index.setdefault(normalise(alias), s)
        return index

    @cached_property
    def _phrases(self) -> dict[tuple[str, ...], Skill]:
        phrases: dict[tuple[str, ...], Skill] = {}
        for s in sorted(self.skills.values(), key=lambda s: s.code):
            for alias in (s.name, *s.synonyms):
                toks = tuple(tokens(alias))
                if toks:
                    phrases.setdefault(toks, s)
        return phrases

    @cached_property
    def _max_phrase(self) -> int:
        return max((len(p) for p in self._phrases), default=1)

    def lookup(self, name: str) -> Skill | None:
        """Exact name or synonym, after normalisation (seed 001 §4.2.2)."""
        return self._by_key.get(normalise(name))

    def resolve(self, name: str, cutoff: float = 0.88) -> tuple[Skill, float] | None:
        """Exact/synonym lookup, else the closest name by similarity (returned with its score)."""
        hit = self.lookup(name)
        if hit is not None:
            return hit, 1.0
        import difflib

        key = normalise(name)
        close = difflib.get_close_matches(key, list(self._by_key), n=1, cutoff=cutoff)
        if not close:
            return None
        score = difflib.SequenceMatcher(None, key, close[0]).ratio()
        return self._by_key[close[0]], round(score, 3)

    def find_in_text(self, text: str) -> list[SkillMatch]:
        """Every taxonomy skill named in `text`, longest phrase first, no overlaps, in text order."""
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
        spans = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        found: list[SkillMatch] = []
        i = 0
        while i < len(spans):
            for n in range(min(self._max_phrase, len(spans) - i), 0, -1):
                key = tuple(t for t, _, _ in spans[i : i + n])
                skill = self._phrases.get(key)
                if skill is not None:
                    start, end = spans[i][1], spans[i + n - 1][2]
                    exact = normalise(text[start:end]) == skill.key
                    found.append(SkillMatch(skill, start, end, text[start:end], 0.95 if exact else 0.85))
                    i += n
                    break
            else:
                i += 1
        return found

    def distance(self, a: str, b: str) -> int | None:
        """0 same skill, 1 same L3, 2 same L2, 3 same L1, None across domains (seed 002 §3.2)."""
        if a == b:
            return 0
        pa, pb = a.split("."), b.split(".")
        if pa[:3] == pb[:3]:
            return 1
        if pa[:2] == pb[:2]:
            return 2
        if pa[:1] == pb[:1]:
            return 3
        return None

    @cached_property
    def _edges(self) -> dict[tuple[str, str], Edge]:
        index: dict[tuple[str, str], Edge] = {}
        for e in self.edges:
            index.setdefault((e.from_code, e.to_code), e)
            index.setdefault((e.to_code, e.from_code), e)
        return index

    def adjacency(self, a: str, b: str, lam: float = 0.7) -> float:
        """exp(-λ·d); an explicit edge wins over taxonomy distance and scales by its strength."""
        import math

        if a == b:
            return 1.0
        edge = self._edges.get((a, b))
        if edge is not None:
            return math.exp(-lam * edge.distance) * edge.strength
        d = self.distance(a, b)
        return 0.0 if d is None else math.exp(-lam * d)

    def path(self, code: str) -> list[str]:
        """Names from the domain down to the skill, for explanations."""
        parts = code.split(".")
        names = [self.categories[c].name for c in (".".join(parts[:k]) for k in (1, 2, 3)) if c in self.categories]
        skill = self.skills.get(code)
        return [*names, skill.name] if skill else names
