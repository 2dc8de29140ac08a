"""A log mixing v2 events (written with the v2 schema, JSON text) and v3 events (typed records)
projects each content identically, and a rebuild over it reproduces the live checksum."""

from __future__ import annotations

import json
from typing import Any

import fastavro
import psycopg
import pytest

from infra.context import Context
from processors.matching.payload import detail_json
from processors.pipeline.config import PipelineConfig
from processors.pipeline.executor import execute
from processors.pipeline.payload import red_flags_json, requirements_json, skills_json
from processors.tasks import REGISTRY
from projections.write.rebuild import rebuild
from schemas import catalog, wire
from schemas.models import DerivationEvent, Event, MatchEvent, deterministic_id
from schemas.topics import topic as topic_info
from tests.processors.jury.helpers import borderline_match
from tests.processors.pipeline.fixtures import Engines, sample_inputs

pytestmark = pytest.mark.stack

TWIN = "-v2"


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _v2_record(e: Event) -> dict[str, Any]:
    """The same content as a v2 producer wrote it: JSON text, another key, another id."""
    record = e.to_avro()
    record["meta"]["event_id"] = deterministic_id("v2 twin", e.meta.event_id)
    if isinstance(e, DerivationEvent):
        record["posting_id"] = e.posting_id + TWIN
        record.update(
            requirements=_text(requirements_json(e)),
            skills=_text(skills_json(e)),
            red_flags=_text(red_flags_json(e)),
        )
    else:
        assert isinstance(e, MatchEvent)
        record["profile_id"] = e.profile_id + TWIN
        record["detail"] = _text(detail_json(e))
    return record


def _send_v2(ctx: Context, topic: str, events: list[Event]) -> None:
    old = dict(catalog.history(topic))["v2.avsc"]
    schema_id = ctx.registry.register(topic_info(topic).subject, json.dumps(old, separators=(",", ":")))
    parsed = fastavro.parse_schema(old)
    for e in events:
        record = _v2_record(e)
        key = record["posting_id"] if topic == "derivations" else record["profile_id"]
        ctx.producer.send_raw(topic, key.encode(), wire.frame(schema_id, parsed, record))


def _rows(ctx: Context, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(ctx.endpoints.dsn) as conn:
        return [tuple(r) for r in conn.execute(query, args)]


def test_v2_and_v3_events_project_alike_and_rebuild_to_the_same_checksum(ctx: Context) -> None:
    derivations: list[Event] = []
    for r in execute(sample_inputs(4), PipelineConfig(), Engines(), tasks=REGISTRY):
        assert isinstance(r.events[-2], DerivationEvent)
        derivations.append(r.events[-2])
    matches: list[Event] = [borderline_match(1), borderline_match(2, evidence=[])]
    matches = [m.model_copy(update={"profile_id": f"u-{i}"}) for i, m in enumerate(matches)]
    assert all(isinstance(m, MatchEvent) and m.score is not None for m in matches)
    # v3 first, so the registry knows v3 before the v2 writer schema is registered beside it.
    for e in [*derivations, *matches]:
        ctx.producer.send(e)
    ctx.producer.flush()
    _send_v2(ctx, "derivations", derivations)
    _send_v2(ctx, "matches", matches)
    ctx.producer.flush()
    ctx.catch_up()

    for d in derivations:
        assert isinstance(d, DerivationEvent)
        pid = d.posting_id
        derived = "SELECT skills::text, red_flags::text, summary, ghost_score FROM proj.derivations WHERE posting_id = %s"
        v3, v2 = _rows(ctx, derived, pid), _rows(ctx, derived, pid + TWIN)
        assert v3 and v3 == v2
        reqs = (
            "SELECT idx, alt, text, proof_stack::text, decision_id FROM proj.requirements "
            "WHERE posting_id = %s ORDER BY idx, alt"
        )
        v3, v2 = _rows(ctx, reqs, pid), _rows(ctx, reqs, pid + TWIN)
        assert v3 and v3 == v2
    for m in matches:
        assert isinstance(m, MatchEvent)
        scored = "SELECT detail::text, fit_total, recommendation FROM proj.matches WHERE profile_id = %s"
        v3, v2 = _rows(ctx, scored, m.profile_id), _rows(ctx, scored, m.profile_id + TWIN)
        assert v3 and v3 == v2

    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, swap=False)
    assert report.equal and report.checksum_live == report.checksum_rebuilt
    assert report.events == 2 * (len(derivations) + len(matches))
