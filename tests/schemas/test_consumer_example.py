"""docs/matching.md's downstream consumer: its `describe` reads a v3 match's typed fields and a
pre-v3 match's JSON text alike, from records decoded as a plain Avro consumer decodes them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastavro

from processors.matching.payload import detail_json
from schemas import catalog, wire
from tests.processors.jury.helpers import borderline_match

DOC = Path(__file__).parents[2] / "docs" / "matching.md"


def doc_describe() -> Callable[[dict[str, Any]], str]:
    """The `describe` function exactly as the document shows it."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    code = next(b for b in blocks if "def describe(" in b)
    scope: dict[str, Any] = {}
    exec(compile(code, str(DOC), "exec"), scope)
    return scope["describe"]


def v3_and_v2_records() -> tuple[dict[str, Any], dict[str, Any]]:
    """A v3 match and its twin written with the v2 schema, each decoded with its writer's schema
    (what a consumer without a reader schema gets)."""
    event = borderline_match()
    current = catalog.parsed("matches")
    v3 = wire.unframe(wire.frame(1, current, event.to_avro()), current)
    old = fastavro.parse_schema(dict(catalog.history("matches"))["v2.avsc"])
    record = {**event.to_avro(), "detail": json.dumps(detail_json(event), ensure_ascii=False, sort_keys=True)}
    v2 = wire.unframe(wire.frame(2, old, record), old)
    return v3, v2


def test_the_documented_consumer_reads_v3_fields_and_v2_text_alike() -> None:
    describe = doc_describe()
    v3, v2 = v3_and_v2_records()
    assert v3["score"] is not None and "score" not in v2
    # Read with the v3 reader schema, the old event has a null score: the same answer.
    assert describe({**v2, "score": None}) == describe(v2)
    said = describe(v3)
    assert said == describe(v2)
    assert said.startswith("p x q: ") and "hard_skills" in said and " - try: " in said
