"""Recognise a swapped input file by the keys its records carry (posting or profile).

Only a sniff of the first records: the real validation stays with intake and scoring. It
exists so that a profile given where a posting belongs is named as such, instead of a
screen of "extra inputs are not permitted" lines.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Literal

from schemas.errors import BadInput

Kind = Literal["posting", "profile"]

# Keys that only one kind of record has (location, id and source are shared or ambiguous).
_POSTING_KEYS = "title company description salary_min salary_max posted_at url extracted_skills work_model"
_PROFILE_KEYS = (
    "current_role years_experience skills work_history non_negotiables growth_targets compensation "
    "atoms languages work_authorization"
)
_MARKERS: dict[Kind, frozenset[str]] = {
    "posting": frozenset(_POSTING_KEYS.split()),
    "profile": frozenset(_PROFILE_KEYS.split()),
}
_SHOWN: dict[Kind, str] = {
    "posting": "title/company/description",
    "profile": "current_role/skills/work_history",
}


def kind_of(record: dict[str, Any]) -> Kind | None:
    """The kind a record's keys point to, when they point clearly to one (two marker keys or more)."""
    keys = set(record)
    hits = {kind: len(keys & markers) for kind, markers in _MARKERS.items()}
    best = max(hits, key=lambda k: hits[k])
    other = min(hits, key=lambda k: hits[k])
    if hits[best] >= 2 and hits[best] > hits[other]:
        return best
    return None


def sniff(data: bytes, name: str, limit: int = 5) -> list[dict[str, Any]]:
    """Up to `limit` records from the head of a JSON, JSONL or CSV file; [] when unreadable."""
    text = data[:262_144].decode("utf-8", errors="ignore").lstrip("\ufeff").lstrip()
    if not text:
        return []
    if text[0] in "{[":
        try:
            whole = json.loads(data.decode("utf-8", errors="ignore").lstrip("\ufeff"))
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict):
            return [whole]
        if isinstance(whole, list):
            return [r for r in whole[:limit] if isinstance(r, dict)]
        records = []
        for line in text.splitlines():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                records.append(obj)
            if len(records) >= limit:
                break
        return records
    if name.lower().endswith(".csv") or "," in text.splitlines()[0]:
        header = next(csv.reader(io.StringIO(text.splitlines()[0])), [])
        return [dict.fromkeys(h.strip() for h in header)]
    return []


def expect(path: Path, data: bytes, wanted: Kind, hint: str) -> None:
    """Raise a usage error when the file's records are clearly of the other kind."""
    kinds = [kind_of(r) for r in sniff(data, path.name)]
    found = [k for k in kinds if k is not None]
    if not found or wanted in found:
        return
    other = found[0]
    raise BadInput(f"{path} looks like a {other} file (it has {_SHOWN[other]}), not a {wanted} — {hint}")
