"""Poison events: records the projection's tables cannot hold are dead-lettered one by one,
the rest of their batch is applied, and a rebuild over them comes out equal.

The poison is produced straight to the topics through the codec, bypassing intake's checks,
because that is what an old producer or another team's producer can do."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from projections.read import postings as queries
from projections.write.rebuild import rebuild
from schemas.models import Meta, PostingContent, PostingEvent, Producer, ProfileEvent, RunEvent, now_utc
from streams.producer import targets_of
from tests.conftest import SAMPLES

pytestmark = pytest.mark.stack

ME = Producer(component="tests", version="1")


def _meta(event_type: str, correlation: str) -> Meta:
    return Meta(
        event_id=uuid.uuid4(),
        event_type=event_type,
        occurred_at=now_utc(),
        producer=ME,
        correlation_id=correlation,
    )


def _posting(posting_id: str, url: str) -> PostingEvent:
    content = PostingContent(
        source="tests", title="Engineer", company="Acme", location="", description="Build things.", url=url
    )
    return PostingEvent(
        meta=_meta("posting.observed", posting_id), posting_id=posting_id, version=1, content_hash="h" * 64,
        content=content, changed_fields=[],
    )  # fmt: skip


def _run(posting_id: str, priority: int) -> RunEvent:
    return RunEvent.model_validate(
        {
            "meta": _meta("run.started", posting_id),
            "run_id": str(uuid.uuid4()),
            "posting_id": posting_id,
            "status": "started",
            "reason": "poison test",
            "trigger": "reprocess",
            "start_step": "lily",
            "priority": priority,
        }
    )


def _profile(profile_id: str, document: str) -> ProfileEvent:
    return ProfileEvent(
        meta=_meta("profile.created", profile_id), profile_id=profile_id, version=1, content_hash="c" * 64,
        document=document,
    )  # fmt: skip


def _rows(ctx: Context, query: str, *args: Any) -> list[dict[str, Any]]:
    with psycopg.connect(ctx.endpoints.dsn, row_factory=dict_row) as conn:
        return list(conn.execute(query, args))


def test_poison_events_are_dead_lettered_and_their_batch_neighbours_applied(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
    good_doc = json.dumps({"id": "p-good", "current_role": "Engineer"})
    poison = [
        _posting("nul-url", "https://example.com/a\x00b"),
        _run("lnk-48213", 99_999_999_999_999),
        _profile("nul\x00id", json.dumps({"id": "nul\x00id"})),
        _profile("p-role", json.dumps({"id": "p-role", "current_role": "Eng\x00ineer"})),
        _profile("p-nan", '{"id": "p-nan", "atoms": [{"text": "grew sales", "value": NaN}]}'),
        _profile("p-inf", '{"id": "p-inf", "compensation": {"target": Infinity}}'),
    ]
    good = [_posting("good-after", "https://example.com/fine"), _profile("p-good", good_doc)]
    # Interleaved, so the good ones share batches with the poison.
    for event in [poison[0], good[0], *poison[1:], good[1]]:
        ctx.producer.send(event)
    ctx.catch_up(targets_of(ctx.producer.flush()))

    rejected = _rows(
        ctx, 'SELECT topic, error, dead_letter_event_id FROM proj.rejected_records ORDER BY "offset"'
    )
    assert len(rejected) == len(poison)
    assert all(r["error"].startswith("cannot apply:") and r["dead_letter_event_id"] for r in rejected)
    errors = " | ".join(r["error"] for r in rejected)
    assert "integer out of range" in errors and "NUL" in errors
    assert queries.get_posting(ctx.endpoints.dsn, "good-after") is not None
    assert queries.get_posting(ctx.endpoints.dsn, "nul-url") is None
    profiles = {r["profile_id"] for r in _rows(ctx, "SELECT profile_id FROM proj.profiles")}
    assert profiles == {"p-good"}

    # The letters are in the log: coordinates, raw bytes, error and processor.
    ctx.catch_up()
    letters = [
        r["record"] for r in _rows(ctx, "SELECT record FROM proj.audit_log WHERE topic = 'deadletters'")
    ]
    assert len(letters) == len(poison)
    assert {(r["source_topic"], r["processor"]) for r in letters} == {
        ("postings", "projector"),
        ("runs", "projector"),
        ("profiles", "projector"),
    }
    assert all(r["raw_value"] and r["error"].startswith("cannot apply:") for r in letters)
    assert {str(r["dead_letter_event_id"]) for r in rejected} == {
        str(r["event_id"])
        for r in _rows(ctx, "SELECT event_id FROM proj.audit_log WHERE topic = 'deadletters'")
    }

    # Later work still flows, and a rebuild over the poison neither stops nor differs.
    more = ingest_postings(ctx, "postings_update.jsonl", (SAMPLES / "postings_update.jsonl").read_bytes())
    assert more.summary()["changed"] == 3
    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, dead_letters=ctx.producer)
    assert report.equal and report.swapped and report.rejected == len(poison)
    assert len(_rows(ctx, "SELECT 1 FROM proj.rejected_records")) == len(poison)
