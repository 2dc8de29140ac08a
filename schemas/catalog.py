"""Load the `.avsc` files: the current schema per topic and its kept history."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import fastavro

ROOT = Path(__file__).parent
AVRO_DIR = ROOT / "avro"
HISTORY_DIR = ROOT / "history"


@cache
def schema_text(topic: str) -> str:
    path = AVRO_DIR / f"{topic}.avsc"
    if not path.exists():
        raise KeyError(f"no Avro schema for topic {topic!r} in {AVRO_DIR}")
    # Registered text is compact, so identical schemas fingerprint identically everywhere.
    return json.dumps(json.loads(path.read_text()), separators=(",", ":"))


@cache
def schema_json(topic: str) -> Any:
    return json.loads(schema_text(topic))


@cache
def parsed(topic: str) -> Any:
    return fastavro.parse_schema(schema_json(topic))


def topics_with_schemas() -> list[str]:
    return sorted(p.stem for p in AVRO_DIR.glob("*.avsc"))


def history(topic: str) -> list[tuple[str, Any]]:
    """Every earlier version kept in the repository, oldest first: (name, schema JSON)."""
    folder = HISTORY_DIR / topic
    files = sorted(folder.glob("v*.avsc"), key=lambda p: int(p.stem[1:]))
    return [(p.name, json.loads(p.read_text())) for p in files]
