"""ESCO's optional files beside the skills pillar: skill-to-skill relations and occupations.

- `skillSkillRelations_en.csv`: originalSkillUri, relationType (essential / optional),
  relatedSkillUri;
- `occupations_en.csv`: conceptUri, preferredLabel, altLabels (newline-separated), iscoGroup;
- `occupation_skills.jsonl`: per occupation (occupationUri) its essentialSkills and
  optionalSkills by preferred label.

A missing file means "none of those"; a file that is there but malformed is an error that
names it. Occupations are sorted by URI, so an import is deterministic.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from processors.taxonomy.occupations import Occupation
from processors.taxonomy.text import normalise

RELATIONS = "skillSkillRelations_en.csv"
OCCUPATIONS = "occupations_en.csv"
OCCUPATION_SKILLS = "occupation_skills.jsonl"


class EscoFileError(ValueError):
    """An optional ESCO file is malformed; the message names the file and line."""


def _csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise EscoFileError(f"{path.name}: line 1: missing column(s) {', '.join(missing)}")
        yield from reader


def read_relations(directory: Path) -> list[tuple[str, str, bool]]:
    """(skill URI, related skill URI, essential?) in file order; [] without the file."""
    path = directory / RELATIONS
    if not path.is_file():
        return []
    cols = ("originalSkillUri", "relationType", "relatedSkillUri")
    return [
        (
            row["originalSkillUri"].strip(),
            row["relatedSkillUri"].strip(),
            row["relationType"].strip() == "essential",
        )
        for row in _csv(path, cols)
    ]


def _skills_by_occupation(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    found: dict[str, tuple[list[str], list[str]]] = {}
    if not path.is_file():
        return found
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                found[doc["occupationUri"]] = (
                    list(doc.get("essentialSkills", [])),
                    list(doc.get("optionalSkills", [])),
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise EscoFileError(f"{path.name}: line {n}: not an occupation record ({exc})") from None
    return found


def read_occupations(directory: Path, code_of: Mapping[str, str]) -> list[Occupation]:
    """Occupations with their skills as codes (`code_of`: preferred label -> skill code).

    A skill label the taxonomy lacks is dropped: the skills file decides what exists.
    """
    path = directory / OCCUPATIONS
    if not path.is_file():
        return []
    skills = _skills_by_occupation(directory / OCCUPATION_SKILLS)
    occupations: list[Occupation] = []
    for row in _csv(path, ("conceptUri", "preferredLabel", "altLabels")):
        uri, name = row["conceptUri"].strip(), " ".join(row["preferredLabel"].split())
        if not uri or not name:
            continue
        seen, alts = {normalise(name)}, []
        for alt in row["altLabels"].splitlines():
            key = normalise(alt)
            if key and key not in seen:
                seen.add(key)
                alts.append(" ".join(alt.split()))
        essential, optional = skills.get(uri, ([], []))
        occupations.append(
            Occupation(
                uri=uri,
                name=name,
                synonyms=tuple(alts),
                isco=(row.get("iscoGroup") or "").strip(),
                essential=_codes(essential, code_of),
                optional=_codes(optional, code_of),
            )
        )
    return sorted(occupations, key=lambda o: o.uri)


def _codes(labels: list[str], code_of: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code_of[label] for label in labels if label in code_of))
