"""The skill taxonomy: codes `L1.L2.L3.L4`, names, synonyms, normalisation, lookup in text.

Pure data and functions; loading from files lives in `store.py`, the folding and keying of
names in `text.py`, occupations and their title index in `occupations.py`.

Aliases (a skill's name and synonyms) are used two ways: `lookup` compares normalised
keys, so "JS", "js" and "J.S." are all JavaScript; `find_in_text` searches free text,
where short or ordinary-English aliases would fire on plain prose. So in text:

- an alias listed in `Skill.case_sensitive`, or any one-token alias of at most two
  letters/digits ("R", "C", "ML", "HR"), only matches with the exact case written in the
  data, never as the first word of a sentence or line ("Go beyond..."), and a short one
  never touching `&`, `-` or an apostrophe ("R&D", "C-level", "C's"); a one-letter one
  also needs a word that says so ("R programming") or other skills in its sentence
  ("Python, R and SQL"), and never follows "Class", "Grade", "Vitamin"...;
- an alias listed in `Skill.lookup_only` ("management", "driving") never matches in text;
  it exists so that names other steps emit resolve.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from processors.taxonomy.occupations import Occupation, TitleIndex
from processors.taxonomy.text import TOKEN, fold, is_short, normalise

CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{3}$")
KINDS = frozenset({"hard", "soft", "language", "knowledge"})
RELATIONS = frozenset({"is_a", "related_to", "adjacent_to", "prerequisite_of"})
LAMBDA = 0.7  # seed 002 §3.3

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_LETTER_BEFORE = frozenset(
    {
        "programming",
        "language",
        "skills",
        "development",
        "developer",
        "code",
        "coding",
        "scripting",
        "packages",
    }
)
_LETTER_NOT_AFTER = frozenset(
    {"class", "category", "grade", "level", "vitamin", "plan", "type", "section", "part", "form", "option",
     "letter", "group", "tier", "phase", "block", "unit", "building", "size", "model"}
)  # fmt: skip
_BULLETS = " \t\r\f\v-*\u2022\u00b7\u2013\u2014\"'\u201c\u2018(["


@dataclass(frozen=True)
class Skill:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    kind: str = "hard"  # hard | soft | language | knowledge
    case_sensitive: tuple[str, ...] = ()  # aliases that match text only as written
    lookup_only: tuple[str, ...] = ()  # aliases never searched for in text
    uri: str = ""  # the source's identifier (an ESCO concept URI); empty for the built-in taxonomy
    text: str = ""  # what the semantic linker embeds (ESCO: label, alternative labels, description)

    @property
    def key(self) -> str:
        return normalise(self.name)

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class Category:
    code: str  # "01", "01.03" or "01.03.01"
    name: str

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


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


@dataclass(frozen=True)
class _Alias:
    skill: Skill
    raw: tuple[str, ...]  # the alias's tokens as written, for case-sensitive comparison
    strict: bool
    is_name: bool


def _validate(skills: dict[str, Skill], edges: Iterable[Edge]) -> None:
    for s in skills.values():
        if s.kind not in KINDS:
            raise ValueError(f"skill {s.code} {s.name!r}: kind {s.kind!r} is not one of {sorted(KINDS)}")
        for listed, what in ((s.case_sensitive, "case_sensitive"), (s.lookup_only, "lookup_only")):
            stray = [a for a in listed if a not in s.aliases]
            if stray:
                raise ValueError(f"skill {s.code} {s.name!r}: {what} names {stray}, not its name or synonyms")
    for e in edges:
        where = f"edge {e.from_code} -> {e.to_code}"
        if e.from_code not in skills or e.to_code not in skills:
            raise ValueError(f"{where}: both ends must be skills of the taxonomy")
        if e.relation not in RELATIONS:
            raise ValueError(f"{where}: relation {e.relation!r} is not one of {sorted(RELATIONS)}")
        if not 0 <= e.distance <= 3:
            raise ValueError(f"{where}: distance {e.distance} is outside 0..3")
        if not 0.0 <= e.strength <= 1.0:
            raise ValueError(f"{where}: strength {e.strength} is outside [0, 1]")


def _sentence_start(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in _BULLETS:
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n"


def _letter_in_context(text: str, folded: list[str], i: int, start: int, others: list[SkillMatch]) -> bool:
    # A one-letter skill ("R", "C") counts when the next word says so ("R programming") or
    # when other skills share its sentence ("Python, R and SQL"); never after "Class",
    # "Grade" or "Vitamin".
    if i > 0 and folded[i - 1] in _LETTER_NOT_AFTER:
        return False
    if i + 1 < len(folded) and folded[i + 1] in _LETTER_BEFORE:
        return True
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, start)
    end = after.start() if after else len(text)
    return any(begin <= m.start and m.end <= end for m in others)


def short_identity(identity: str) -> str:
    """`name#<12 hex>` of a `Taxonomy.identity`, for people to read."""
    name, _, digest = identity.rpartition("#")
    return f"{name}#{digest[:12]}" if name else identity


def _rows(items: Iterable[Skill | Edge | Occupation]) -> list[list[object]]:
    # Every field, in declaration order: a field added later changes the digest, as it should.
    rows: list[list[object]] = []
    names: tuple[str, ...] = ()
    for item in items:
        if not names:
            names = tuple(f.name for f in dataclasses.fields(item))
        rows.append([getattr(item, n) for n in names])
    return rows


@dataclass
class Taxonomy:
    skills: dict[str, Skill]
    categories: dict[str, Category] = field(default_factory=dict)
    edges: tuple[Edge, ...] = ()
    source: str = "builtin"
    occupations: tuple[Occupation, ...] = ()

    @classmethod
    def from_skills(
        cls,
        skills: Iterable[Skill],
        categories: Iterable[Category] = (),
        edges: Iterable[Edge] = (),
        source: str = "custom",
        occupations: Iterable[Occupation] = (),
    ) -> Taxonomy:
        by_code: dict[str, Skill] = {}
        for s in skills:
            if not CODE_RE.match(s.code):
                raise ValueError(f"skill {s.name!r}: code {s.code!r} is not L1.L2.L3.L4 (e.g. 01.03.01.001)")
            if s.code in by_code:
                raise ValueError(f"skill code {s.code} is used twice ({by_code[s.code].name!r}, {s.name!r})")
            by_code[s.code] = s
        edges = tuple(edges)
        _validate(by_code, edges)
        jobs = tuple(occupations)
        for o in jobs:
            stray = [c for c in (*o.essential, *o.optional) if c not in by_code]
            if stray:
                raise ValueError(f"occupation {o.name!r}: skill codes {stray[:3]} are not in the taxonomy")
        return cls(by_code, {c.code: c for c in categories}, edges, source, jobs)

    @cached_property
    def digest(self) -> str:
        """sha256 (hex) over the whole content: name, every field of every skill, categories,
        edges in order (the first edge of a pair wins) and occupations. Computed once per object."""
        content = {
            "source": self.source,
            "skills": _rows([self.skills[code] for code in sorted(self.skills)]),
            "categories": sorted((c.code, c.name) for c in self.categories.values()),
            "edges": _rows(self.edges),
            "occupations": _rows(self.occupations),
        }
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def identity(self) -> str:
        """`<name>#<digest>`: what decisions record, and part of the reuse key, for steps that read it."""
        return f"{self.source}#{self.digest}"

    def __repr__(self) -> str:  # the generated one prints every skill
        return (
            f"Taxonomy(source={self.source!r}, skills={len(self.skills)}, edges={len(self.edges)}, "
            f"occupations={len(self.occupations)})"
        )

    @cached_property
    def _by_key(self) -> dict[str, Skill]:
        # When two skills share an alias (imported data), the lower code wins.
        index: dict[str, Skill] = {}
        for s in sorted(self.skills.values(), key=lambda s: s.code):
            for alias in s.aliases:
                key = normalise(alias)
                if key:
                    index.setdefault(key, s)
        return index

    @cached_property
    def _keys_by_length(self) -> dict[int, list[str]]:
        by_length: dict[int, list[str]] = {}
        for key in self._by_key:
            by_length.setdefault(len(key), []).append(key)
        return by_length

    @cached_property
    def _fuzzy_memo(self) -> dict[tuple[str, float], str | None]:
        return {}

    @cached_property
    def _phrases(self) -> dict[tuple[str, ...], list[_Alias]]:
        phrases: dict[tuple[str, ...], list[_Alias]] = {}
        for s in sorted(self.skills.values(), key=lambda s: s.code):
            for alias in s.aliases:
                if alias in s.lookup_only:
                    continue
                raw = tuple(m.group(0) for m in TOKEN.finditer(alias))
                if raw:
                    strict = alias in s.case_sensitive or is_short(alias)
                    key = tuple(fold(t) for t in raw)
                    phrases.setdefault(key, []).append(_Alias(s, raw, strict, alias == s.name))
        return phrases

    @cached_property
    def _max_phrase(self) -> int:
        return max((len(p) for p in self._phrases), default=1)

    @cached_property
    def _by_uri(self) -> dict[str, Skill]:
        return {s.uri: s for s in self.skills.values() if s.uri}

    def by_uri(self, uri: str) -> Skill | None:
        return self._by_uri.get(uri)

    @cached_property
    def _titles(self) -> TitleIndex:
        return TitleIndex(self.occupations)

    def occupation(self, title: str) -> Occupation | None:
        """The occupation a title names (see `occupations.TitleIndex`); None without one."""
        return self._titles.find(title)

    def lookup(self, name: str) -> Skill | None:
        """Exact name or synonym, after normalisation (seed 001 §4.2.2)."""
        return self._by_key.get(normalise(name))

    def resolve(self, name: str, cutoff: float = 0.88) -> tuple[Skill, float] | None:
        """Exact/synonym lookup, else the closest name by similarity (returned with its score).

        Keys shorter than four characters are never matched fuzzily: "Go" is not "Git".
        """
        hit = self.lookup(name)
        if hit is not None:
            return hit, 1.0
        key = normalise(name)
        if len(key) < 4:
            return None
        memo = self._fuzzy_memo
        if (key, cutoff) not in memo:
            if len(memo) > 50_000:
                memo.clear()
            # A ratio of at least `cutoff` bounds the other key's length; only those are compared.
            lo, hi = math.ceil(len(key) * cutoff / (2 - cutoff)), math.floor(len(key) * (2 - cutoff) / cutoff)
            pool = [k for n in range(lo, hi + 1) for k in self._keys_by_length.get(n, ())]
            close = difflib.get_close_matches(key, pool, n=1, cutoff=cutoff)
            memo[(key, cutoff)] = close[0] if close else None
        found = memo[(key, cutoff)]
        if found is None:
            return None
        return self._by_key[found], round(difflib.SequenceMatcher(None, key, found).ratio(), 3)

    def _accepts(self, alias: _Alias, text: str, spans: list[tuple[str, int, int]]) -> bool:
        if not alias.strict:
            return True
        start, end = spans[0][1], spans[-1][2]
        if tuple(t for t, _, _ in spans) != alias.raw or _sentence_start(text, start):
            return False
        if len("".join(alias.raw)) <= 2:
            before = text[start - 1] if start > 0 else ""
            after = text[end] if end < len(text) else ""
            if before in ("&", "-") or after in ("&", "-", "'", "\u2019"):
                return False
        return True

    def find_in_text(self, text: str) -> list[SkillMatch]:
        """Every taxonomy skill named in `text`: longest phrase wins, no overlaps, in text order.

        Offsets index the original `text` (folding happens per token, never on the whole text).
        """
        spans = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]
        folded = [fold(t) for t, _, _ in spans]
        candidates: list[tuple[int, int, _Alias]] = []
        for i in range(len(spans)):
            for n in range(1, min(self._max_phrase, len(spans) - i) + 1):
                entries = self._phrases.get(tuple(folded[i : i + n]))
                if not entries:
                    continue
                accepted = next((a for a in entries if self._accepts(a, text, spans[i : i + n])), None)
                if accepted is not None:
                    candidates.append((i, n, accepted))
        taken = [False] * len(spans)
        chosen: list[tuple[int, SkillMatch]] = []
        for i, n, alias in sorted(candidates, key=lambda c: (-c[1], c[0])):
            if any(taken[i : i + n]):
                continue
            taken[i : i + n] = [True] * n
            start, end = spans[i][1], spans[i + n - 1][2]
            confidence = 0.8 if alias.strict else 0.95 if alias.is_name else 0.85
            chosen.append((i, SkillMatch(alias.skill, start, end, text[start:end], confidence)))
        chosen.sort(key=lambda c: c[1].start)
        others = [m for _, m in chosen if len(m.matched) > 1]
        return [
            m for i, m in chosen if len(m.matched) > 1 or _letter_in_context(text, folded, i, m.start, others)
        ]

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
        # Both directions point at the first edge listed for a pair, so adjacency is symmetric.
        index: dict[tuple[str, str], Edge] = {}
        for e in self.edges:
            index.setdefault((e.from_code, e.to_code), e)
            index.setdefault((e.to_code, e.from_code), index[(e.from_code, e.to_code)])
        return index

    def edge(self, a: str, b: str) -> Edge | None:
        """The explicit edge between two skills, in either direction."""
        return self._edges.get((a, b))

    def adjacency(self, a: str, b: str, lam: float = LAMBDA) -> float:
        """exp(-λ·d); an explicit edge wins over taxonomy distance and scales by its strength."""
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
        names = [
            self.categories[c].name for c in (".".join(parts[:k]) for k in (1, 2, 3)) if c in self.categories
        ]
        skill = self.skills.get(code)
        return [*names, skill.name] if skill else names
