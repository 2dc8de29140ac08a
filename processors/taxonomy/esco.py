"""Import the ESCO skills pillar (the portal's CSV classification export, English) as a Taxonomy.

Files read from one directory:

- `skills_en.csv`: conceptUri, preferredLabel, altLabels (newline- or ` | `-separated),
  skillType, reuseLevel (optional), description or text (optional: what the semantic linker
  embeds; `text` is label, alternative labels and description run together). A file with a
  `text` column may leave preferredLabel empty (ESCO 1.2.0's extractor build does for 18
  skills): such a skill has no name to show and is left out, and counted;
- `skillsHierarchy_en.csv`: Level 0..3 URI and preferred term per hierarchy node;
- `broaderRelationsSkillPillar_en.csv`: conceptUri, broaderUri;
- optional: `skillSkillRelations_en.csv` (essential / optional skill-to-skill relations),
  `occupations_en.csv` and `occupation_skills.jsonl` (see `esco_occupations.py`).

Mapping to our `L1.L2.L3.L4` codes, deterministic for a given export:

- ESCO Level 1 groups become L1, Level 2 become L2, Level 3 become L3. Siblings are
  numbered from 01 in order of their URIs. Level 0 (skills / knowledge / transversal /
  language) only decides kinds, so L1 spans all four pillars' Level 1 groups.
- A skill is placed under the deepest hierarchy group it names as broader (ties: lowest
  URI); a skill whose broader concepts are only other skills takes the place of the first
  of them (by URI) that has one. A skill hanging from a Level 2 group goes to L3 `00`
  ("<group> (general)"), from a Level 1 group to `00.00`; a skill with no place at all goes
  to L1 `99` ("Unclassified").
- Skills in one L3 are numbered from 001 by URI; past 999 they spill into the next free L3
  of the same L2 ("<group> (continued)").
- Kind: under the language pillar or a "(mastering) languages" group, "language"; under the
  transversal pillar, "soft" (knowledge stays "knowledge"); a skill without skillType
  under the knowledge pillar, "knowledge"; else skillType "knowledge" is "knowledge", reuseLevel
  "transversal" is "soft", anything else "hard".
- altLabels become synonyms; each skill-to-skill broader relation becomes an `is_a` edge,
  distance 1, strength 1.0, from the narrower skill to the broader one; a skill-to-skill
  relation becomes a `related_to` edge, distance 1 when essential and 2 when optional (the
  first edge listed for a pair wins, so `is_a` ones come first).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from processors.taxonomy.esco_occupations import read_occupations, read_relations
from processors.taxonomy.model import Category, Edge, Skill, Taxonomy
from processors.taxonomy.text import normalise

SKILLS = "skills_en.csv"
HIERARCHY = "skillsHierarchy_en.csv"
BROADER = "broaderRelationsSkillPillar_en.csv"
UNCLASSIFIED = "99"
_L4_MAX = 999
_LEVEL_MAX = 99


class EscoError(ValueError):
    """An ESCO file is missing or malformed; the message names the file, line and column."""


@dataclass(frozen=True)
class EscoReport:
    """Counts for the command line's summary."""

    skills: int
    hard: int
    soft: int
    knowledge: int
    language: int
    categories: int
    edges: int
    unclassified: int
    source: str
    unlabelled: int = 0
    related: int = 0
    occupations: int = 0


@dataclass
class _Node:
    uri: str
    name: str
    level: int
    parent: str | None
    pillar: str  # the Level 0 term, lower case
    code: str = ""


@dataclass(frozen=True)
class _Concept:
    uri: str
    name: str
    alts: tuple[str, ...]
    skill_type: str
    reuse: str
    text: str = ""


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, row), after checking the header has every required column."""
    if not path.is_file():
        raise EscoError(f"{path}: file not found (the ESCO CSV export names it {path.name})")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise EscoError(f"{path.name}: line 1: missing column(s) {', '.join(missing)}; found {header}")
        line = reader.line_num + 1
        for values in reader:
            if any(v.strip() for v in values):
                yield line, dict(zip(header, values, strict=False))
            line = reader.line_num + 1


def _value(row: dict[str, str], column: str, file: str, line: int) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise EscoError(f"{file}: line {line}, column {column!r}: empty value")
    return value


def _read_hierarchy(path: Path) -> dict[str, _Node]:
    cols = tuple(c for lv in range(4) for c in (f"Level {lv} URI", f"Level {lv} preferred term"))
    nodes: dict[str, _Node] = {}
    for line, row in _rows(path, cols):
        pillar, parent = "", None
        for lv in range(4):
            uri = (row.get(f"Level {lv} URI") or "").strip()
            if not uri:
                break
            name = _value(row, f"Level {lv} preferred term", path.name, line)
            if lv == 0:
                pillar = name.lower()
            nodes.setdefault(uri, _Node(uri, name, lv, parent, pillar))
            parent = uri
    return nodes


def _split_alts(value: str) -> list[str]:
    return [a for line in value.splitlines() for a in line.split(" | ")]


def _read_skills(path: Path) -> tuple[dict[str, _Concept], int]:
    concepts: dict[str, _Concept] = {}
    unlabelled = 0
    for line, row in _rows(path, ("conceptUri", "preferredLabel", "altLabels", "skillType")):
        uri = _value(row, "conceptUri", path.name, line)
        text = " ".join((row.get("text") or "").split())
        if "text" in row and not (row.get("preferredLabel") or "").strip():
            unlabelled += 1
            continue
        name = _value(row, "preferredLabel", path.name, line)
        alts: list[str] = []
        seen = {normalise(name)}
        for alt in _split_alts(row.get("altLabels") or ""):
            key = normalise(alt)
            if key and key not in seen:
                seen.add(key)
                alts.append(alt.strip())
        if not text:
            description = " ".join((row.get("description") or "").split())
            text = " ".join([name, *alts, description]).strip()
        skill_type = (row.get("skillType") or "").strip().lower()
        reuse = (row.get("reuseLevel") or "").strip().lower()
        concepts[uri] = _Concept(uri, name, tuple(alts), skill_type, reuse, text)
    return concepts, unlabelled


def _number(nodes: dict[str, _Node]) -> None:
    # Level by level, so a parent's code exists before its children are numbered.
    for level in (1, 2, 3):
        siblings: dict[str, list[_Node]] = defaultdict(list)
        for n in nodes.values():
            parent = nodes.get(n.parent or "")
            if n.level == level and (level == 1 or (parent is not None and parent.code)):
                siblings["" if level == 1 else parent.code if parent else ""].append(n)
        for prefix, kids in siblings.items():
            if len(kids) > (_LEVEL_MAX - 1 if level == 1 else _LEVEL_MAX):
                raise EscoError(
                    f"{HIERARCHY}: more than {_LEVEL_MAX} groups under one parent; codes would overflow"
                )
            for i, n in enumerate(sorted(kids, key=lambda n: n.uri), start=1):
                n.code = f"{prefix}.{i:02d}" if prefix else f"{i:02d}"


class _Placer:
    def __init__(self, nodes: dict[str, _Node], groups: dict[str, list[str]], broader: dict[str, list[str]]):
        self.nodes, self.groups, self.broader = nodes, groups, broader
        self.memo: dict[str, _Node | None] = {}

    def place(self, uri: str, seen: frozenset[str] = frozenset()) -> _Node | None:
        if uri in self.memo:
            return self.memo[uri]
        placed: _Node | None = None
        coded = [self.nodes[g] for g in self.groups.get(uri, []) if self.nodes[g].code]
        if coded:
            placed = min(coded, key=lambda n: (-n.level, n.uri))
        else:
            for b in sorted(self.broader.get(uri, [])):
                if b not in seen:
                    placed = self.place(b, seen | {uri})
                    if placed is not None:
                        break
        if not seen:  # only results reached without cutting a cycle are final
            self.memo[uri] = placed
        return placed


_LANGUAGE_GROUPS = frozenset({"languages", "mastering languages"})


def _under_languages(nodes: dict[str, _Node], node: _Node | None) -> bool:
    # ESCO files "write Hungarian" under the transversal pillar's "mastering languages".
    while node is not None:
        if node.name.lower() in _LANGUAGE_GROUPS:
            return True
        node = nodes.get(node.parent or "")
    return False


def _kind(concept: _Concept, pillar: str) -> str:
    if "language" in pillar:
        return "language"
    # Most skills of ESCO 1.2.0's extractor file carry no skillType; their pillar says it.
    if concept.skill_type == "knowledge" or (not concept.skill_type and pillar == "knowledge"):
        return "knowledge"
    if "transversal" in pillar or concept.reuse == "transversal":
        return "soft"
    return "hard"


def import_esco_with_report(directory: str | Path, source: str | None = None) -> tuple[Taxonomy, EscoReport]:
    d = Path(directory)
    nodes = _read_hierarchy(d / HIERARCHY)
    concepts, unlabelled = _read_skills(d / SKILLS)
    groups: dict[str, list[str]] = defaultdict(list)
    broader: dict[str, list[str]] = defaultdict(list)
    for line, row in _rows(d / BROADER, ("conceptUri", "broaderUri")):
        child = _value(row, "conceptUri", BROADER, line)
        parent = _value(row, "broaderUri", BROADER, line)
        if child in concepts and parent in nodes:
            groups[child].append(parent)
        elif child in concepts and parent in concepts and parent != child:
            broader[child].append(parent)
    _number(nodes)
    placer = _Placer(nodes, groups, broader)

    categories: dict[str, Category] = {n.code: Category(n.code, n.name) for n in nodes.values() if n.code}
    buckets: dict[str, list[tuple[_Concept, str]]] = defaultdict(list)
    for uri in sorted(concepts):
        node = placer.place(uri)
        pillar = node.pillar if node else ""
        if _under_languages(nodes, node):
            pillar = "language skills and knowledge"
        if node is None or node.level == 0:
            bucket = f"{UNCLASSIFIED}.00.00"
            categories.setdefault(UNCLASSIFIED, Category(UNCLASSIFIED, "Unclassified"))
            categories.setdefault(f"{UNCLASSIFIED}.00", Category(f"{UNCLASSIFIED}.00", "Unclassified"))
            categories.setdefault(bucket, Category(bucket, "Unclassified"))
        elif node.level == 1:
            bucket = f"{node.code}.00.00"
            categories.setdefault(f"{node.code}.00", Category(f"{node.code}.00", f"{node.name} (general)"))
            categories.setdefault(bucket, Category(bucket, f"{node.name} (general)"))
        elif node.level == 2:
            bucket = f"{node.code}.00"
            categories.setdefault(bucket, Category(bucket, f"{node.name} (general)"))
        else:
            bucket = node.code
        buckets[bucket].append((concepts[uri], pillar))

    codes: dict[str, str] = {}
    skills: list[Skill] = []
    for bucket in sorted(buckets):
        members = buckets[bucket]
        for start in range(0, len(members), _L4_MAX):
            l3 = bucket if start == 0 else _spill(bucket, categories)
            for i, (concept, pillar) in enumerate(members[start : start + _L4_MAX], start=1):
                code = f"{l3}.{i:03d}"
                codes[concept.uri] = code
                kind = _kind(concept, pillar)
                skills.append(
                    Skill(code, concept.name, concept.alts, kind, uri=concept.uri, text=concept.text)
                )

    edges: dict[tuple[str, str], Edge] = {}
    for child in sorted(broader):
        for parent in sorted(broader[child]):
            key = (codes[child], codes[parent])
            edges.setdefault(key, Edge(key[0], key[1], "is_a", 1, 1.0))
    related = 0
    for a, b, essential in read_relations(d):
        if a in codes and b in codes and a != b:
            key = (codes[a], codes[b])
            if key not in edges and key[::-1] not in edges:
                edges[key] = Edge(key[0], key[1], "related_to", 1 if essential else 2, 1.0)
                related += 1
    by_name: dict[str, str] = {}
    for uri in sorted(concepts):  # a label two skills share names the lower URI
        by_name.setdefault(concepts[uri].name, codes[uri])
    occupations = read_occupations(d, by_name)

    source = source or f"esco:{d.resolve().name}"
    taxonomy = Taxonomy.from_skills(
        skills, categories.values(), edges.values(), source=source, occupations=occupations
    )
    kinds: dict[str, int] = defaultdict(int)
    for s in skills:
        kinds[s.kind] += 1
    report = EscoReport(
        skills=len(skills),
        hard=kinds["hard"],
        soft=kinds["soft"],
        knowledge=kinds["knowledge"],
        language=kinds["language"],
        categories=len(categories),
        edges=len(edges),
        unclassified=sum(1 for s in skills if s.code.startswith(UNCLASSIFIED + ".")),
        source=source,
        unlabelled=unlabelled,
        related=related,
        occupations=len(occupations),
    )
    return taxonomy, report


def _spill(bucket: str, categories: dict[str, Category]) -> str:
    l2 = bucket.rsplit(".", 1)[0]
    used = [int(c.rsplit(".", 1)[1]) for c in categories if c.count(".") == 2 and c.startswith(l2 + ".")]
    number = max(used, default=0) + 1
    if number > _LEVEL_MAX:
        raise EscoError(f"{SKILLS}: too many skills under {l2}; codes would overflow")
    code = f"{l2}.{number:02d}"
    categories[code] = Category(code, f"{categories[bucket].name} (continued)")
    return code


def import_esco(directory: str | Path) -> Taxonomy:
    """The ESCO export in `directory` as a Taxonomy (see the module docstring for the mapping)."""
    return import_esco_with_report(directory)[0]


def convert(directory: str | Path, out: str | Path) -> EscoReport:
    """Import the ESCO export in `directory`, save it in our format at `out`, return the counts."""
    from processors.taxonomy import store

    taxonomy, report = import_esco_with_report(directory)
    store.save(taxonomy, out)
    return report
