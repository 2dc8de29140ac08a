"""Where taxonomies come from: the built-in data, our own JSON file format, the configured one.

Built-in data lives in `data/NN_*.json`, one file per L1 domain (categories nest as
`categories` -> `groups` -> `skills`; a skill is `[L4, name, synonyms]` with an optional
fourth object `{"kind", "case_sensitive", "lookup_only"}`; a group's `kind` is the default
for its skills), plus `data/edges.json` naming curated edges by skill name.

Our file format (`save`/`load`) is one JSON object: `format`, `source`, `categories`,
`skills` (with `uri` and `text` where the source has them), `edges` and, optionally,
`occupations`; a name ending in `.gz` is gzip-compressed. Which taxonomy the processes use
is chosen by the wiring layer (`infra/taxonomies.py`, from the settings) and passed to the
steps; nothing here reads the environment.

The shipped ESCO build (`data/esco/`, see its README for the attribution: ESCO, European
Commission, CC BY 4.0) is made by `python -m processors.taxonomy.esco_build`.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from processors.taxonomy.model import Category, Edge, Skill, Taxonomy
from processors.taxonomy.occupations import Occupation

FORMAT = "turing-taxonomy/1"
ESCO_BUILD = "esco-1.2.0.json.gz"
SHIPPED = ("builtin", "esco")


class TaxonomyFileError(ValueError):
    """A taxonomy file is missing, unreadable or not in our format."""


def _domain(doc: dict[str, Any], where: str) -> tuple[list[Category], list[Skill]]:
    categories = [Category(doc["code"], doc["name"])]
    skills: list[Skill] = []
    for l2 in doc["categories"]:
        _nested(l2["code"], doc["code"], where)
        categories.append(Category(l2["code"], l2["name"]))
        for l3 in l2["groups"]:
            _nested(l3["code"], l2["code"], where)
            categories.append(Category(l3["code"], l3["name"]))
            default_kind = l3.get("kind", "hard")
            for row in l3["skills"]:
                l4, name, synonyms, *rest = row
                extra: dict[str, Any] = rest[0] if rest else {}
                unknown = set(extra) - {"kind", "case_sensitive", "lookup_only"}
                if unknown:
                    raise TaxonomyFileError(f"{where}: skill {name!r} has unknown options {sorted(unknown)}")
                skills.append(
                    Skill(
                        code=f"{l3['code']}.{l4}",
                        name=name,
                        synonyms=tuple(synonyms),
                        kind=extra.get("kind", default_kind),
                        case_sensitive=tuple(extra.get("case_sensitive", ())),
                        lookup_only=tuple(extra.get("lookup_only", ())),
                    )
                )
    return categories, skills


def _nested(code: str, parent: str, where: str) -> None:
    if not code.startswith(parent + ".") or len(code) != len(parent) + 3:
        raise TaxonomyFileError(f"{where}: category {code} does not sit under {parent}")


def _builtin_edges(doc: dict[str, Any], by_name: Taxonomy) -> list[Edge]:
    edges: list[Edge] = []
    for a, b, relation, distance, strength in doc["edges"]:
        ends = [by_name.lookup(a), by_name.lookup(b)]
        if ends[0] is None or ends[1] is None:
            missing = a if ends[0] is None else b
            raise TaxonomyFileError(f"data/edges.json: edge {a!r} -> {b!r} names unknown skill {missing!r}")
        edges.append(Edge(ends[0].code, ends[1].code, relation, int(distance), float(strength)))
    return edges


@lru_cache(maxsize=1)
def builtin() -> Taxonomy:
    """The taxonomy shipped with Turing (written for this project; seed 002 §1.2 domains)."""
    data = resources.files("processors.taxonomy") / "data"
    categories: list[Category] = []
    skills: list[Skill] = []
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.name[:2].isdigit() and entry.name.endswith(".json"):
            cats, found = _domain(json.loads(entry.read_text(encoding="utf-8")), f"data/{entry.name}")
            categories += cats
            skills += found
    plain = Taxonomy.from_skills(skills, categories, source="builtin")
    edges = _builtin_edges(json.loads((data / "edges.json").read_text(encoding="utf-8")), plain)
    return Taxonomy.from_skills(skills, categories, edges, source="builtin")


def esco_build_path() -> Path:
    return Path(str(resources.files("processors.taxonomy") / "data" / "esco" / ESCO_BUILD))


@lru_cache(maxsize=1)
def esco() -> Taxonomy:
    """ESCO 1.2.0 as shipped with Turing (ESCO, European Commission; CC BY 4.0)."""
    return load(esco_build_path())


def shipped(name: str) -> Taxonomy:
    """A taxonomy shipped with Turing, by name: `builtin` or `esco`."""
    if name == "builtin":
        return builtin()
    if name == "esco":
        return esco()
    raise TaxonomyFileError(f"no shipped taxonomy {name!r} (one of {', '.join(SHIPPED)})")


def to_dict(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "source": taxonomy.source,
        "categories": [
            {"code": c.code, "name": c.name} for c in sorted(taxonomy.categories.values(), key=_code)
        ],
        "skills": [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind,
                "synonyms": list(s.synonyms),
                "case_sensitive": list(s.case_sensitive),
                "lookup_only": list(s.lookup_only),
                # only where the source has them, so the built-in file stays as it was
                **({"uri": s.uri} if s.uri else {}),
                **({"text": s.text} if s.text else {}),
            }
            for s in sorted(taxonomy.skills.values(), key=_code)
        ],
        "edges": [
            {
                "from": e.from_code,
                "to": e.to_code,
                "relation": e.relation,
                "distance": e.distance,
                "strength": e.strength,
            }
            for e in taxonomy.edges
        ],
        **(
            {
                "occupations": [
                    {
                        "uri": o.uri,
                        "name": o.name,
                        "synonyms": list(o.synonyms),
                        "isco": o.isco,
                        "essential": list(o.essential),
                        "optional": list(o.optional),
                    }
                    for o in taxonomy.occupations
                ]
            }
            if taxonomy.occupations
            else {}
        ),
    }


def _code(item: Category | Skill) -> str:
    return item.code


def from_dict(doc: Any, where: str = "taxonomy") -> Taxonomy:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise TaxonomyFileError(f"{where}: not a taxonomy file (format {found!r}, expected {FORMAT!r})")
    try:
        categories = [Category(c["code"], c["name"]) for c in doc["categories"]]
        skills = [
            Skill(
                code=s["code"],
                name=s["name"],
                synonyms=tuple(s.get("synonyms", ())),
                kind=s.get("kind", "hard"),
                case_sensitive=tuple(s.get("case_sensitive", ())),
                lookup_only=tuple(s.get("lookup_only", ())),
                uri=str(s.get("uri", "")),
                text=str(s.get("text", "")),
            )
            for s in doc["skills"]
        ]
        occupations = [
            Occupation(
                uri=o["uri"],
                name=o["name"],
                synonyms=tuple(o.get("synonyms", ())),
                isco=str(o.get("isco", "")),
                essential=tuple(o.get("essential", ())),
                optional=tuple(o.get("optional", ())),
            )
            for o in doc.get("occupations", [])
        ]
        edges = [
            Edge(e["from"], e["to"], e["relation"], int(e["distance"]), float(e.get("strength", 1.0)))
            for e in doc.get("edges", [])
        ]
        source = str(doc.get("source", where))
        return Taxonomy.from_skills(skills, categories, edges, source=source, occupations=occupations)
    except KeyError as exc:
        raise TaxonomyFileError(f"{where}: an entry lacks the field {exc.args[0]!r}") from None
    except ValueError as exc:
        raise TaxonomyFileError(f"{where}: {exc}") from None


def save(taxonomy: Taxonomy, path: str | Path) -> None:
    p = Path(path)
    if p.name.endswith(".gz"):
        # Compact and byte-stable (no timestamp in the gzip header): a rebuild from the same
        # export gives the same file, so its hash names the build.
        data = json.dumps(to_dict(taxonomy), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        p.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        return
    text = json.dumps(to_dict(taxonomy), ensure_ascii=False, indent=1)
    p.write_text(text + "\n", encoding="utf-8")


def load(path: str | Path) -> Taxonomy:
    p = Path(path)
    try:
        raw = p.read_bytes()
        if p.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        doc = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise TaxonomyFileError(f"{p}: no such taxonomy file") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise TaxonomyFileError(f"{p}: unreadable ({exc})") from None
    except json.JSONDecodeError as exc:
        raise TaxonomyFileError(f"{p}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return from_dict(doc, str(p))
