"""Intake and projector on the real broker and Postgres."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from processors.intake.changes import withdraw
from projections.read import postings as queries
from projections.write.checksum import schema_checksum
from schemas.models import now_utc
from streams.producer import targets_of
from streams.reader import drain
from tests.conftest import SAMPLES

pytestmark = pytest.mark.stack


def _sample() -> bytes:
    return (SAMPLES / "postings.jsonl").read_bytes()


def _count_log(ctx: Context, topic: str) -> int:
    starts = {(topic, p): 0 for p in range(3 if topic != "deadletters" else 1)}
    return sum(len(b) for b in drain(ctx.endpoints.bootstrap_servers, starts))


def _rows(ctx: Context, query: str, *args: Any) -> list[dict[str, Any]]:
    with psycopg.connect(ctx.endpoints.dsn, row_factory=dict_row) as conn:
        return list(conn.execute(query, args))


def test_ingest_projects_every_posting_and_reingest_adds_no_events(ctx: Context) -> None:
    first = ingest_postings(ctx, "postings.jsonl", _sample())
    assert first.summary() == {"new": 36, "changed": 0, "unchanged": 0, "rejected": 0}
    assert queries.counts(ctx.endpoints.dsn) == {"postings": 36, "versions": 36, "events": 36, "rejected": 0}
    before = _count_log(ctx, "postings")
    second = ingest_postings(ctx, "postings.jsonl", _sample())
    assert second.summary() == {"new": 0, "changed": 0, "unchanged": 36, "rejected": 0}
    assert _count_log(ctx, "postings") == before == 36


def test_changes_are_detected_field_by_field(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", _sample())
    update = ingest_postings(ctx, "postings_update.jsonl", (SAMPLES / "postings_update.jsonl").read_bytes())
    assert update.summary() == {"new": 0, "changed": 3, "unchanged": 1, "rejected": 0}
    posting = queries.get_posting(ctx.endpoints.dsn, "gh-brightloom-7731")
    assert posting is not None
    assert posting["version"] == 2 and posting["salary_min"] == 175000 and posting["salary_max"] == 205000
    assert [v["version"] for v in posting["versions"]] == [1, 2]
    assert posting["versions"][1]["changed_fields"] == ["salary_max", "salary_min"]
    fe = posting["field_events"]
    # Only the changed fields point at the change; the rest still point at the observation.
    assert fe["salary_min"] == fe["salary_max"] == str(posting["versions"][1]["event_id"])
    assert fe["title"] == str(posting["versions"][0]["event_id"])


def test_withdraw_keeps_history_and_reappearance_is_seen_again(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", _sample())
    known = queries.known_postings(ctx.endpoints.dsn)["lnk-48213"]
    ctx.producer.send(withdraw("lnk-48213", known, "filled", ctx.producer_meta, now_utc()))
    ctx.catch_up(targets_of(ctx.producer.flush()))
    row = queries.get_posting(ctx.endpoints.dsn, "lnk-48213")
    assert row is not None and row["status"] == "withdrawn" and row["version"] == 1
    again = ingest_postings(ctx, "postings.jsonl", _sample())
    assert again.summary()["changed"] == 1
    events = _rows(
        ctx,
        "SELECT event_type FROM proj.audit_log WHERE correlation_id = %s ORDER BY occurred_at",
        "lnk-48213",
    )
    assert [e["event_type"] for e in events] == [
        "posting.observed",
        "posting.withdrawn",
        "posting.seen_again",
    ]
    row = queries.get_posting(ctx.endpoints.dsn, "lnk-48213")
    assert row is not None and row["status"] == "open"


def test_unknown_schema_id_goes_to_the_dead_letter_topic_and_processing_continues(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", _sample())
    poison = b"\x00" + (424_242).to_bytes(4, "big") + b"\x02garbage"
    ctx.producer.send_raw("postings", b"poison-1", poison)
    ctx.producer.send_raw("postings", b"poison-2", b"{not avro at all}")
    ctx.producer.flush()
    more = ingest_postings(ctx, "postings_update.jsonl", (SAMPLES / "postings_update.jsonl").read_bytes())
    assert more.summary()["changed"] == 3  # the records after the poison were projected
    rejected = _rows(
        ctx, "SELECT topic, error, dead_letter_event_id FROM proj.rejected_records ORDER BY error"
    )
    assert len(rejected) == 2
    assert any("schema id 424242" in r["error"] for r in rejected)
    assert any("magic byte" in r["error"] for r in rejected)
    ctx.catch_up()
    letters = _rows(ctx, "SELECT record FROM proj.audit_log WHERE topic = 'deadletters'")
    assert len(letters) == 2
    record = letters[0]["record"]
    assert record["source_topic"] == "postings" and record["processor"] == "projector"
    assert {json.dumps(r["record"]["source_key"]) for r in letters} == {
        json.dumps({"base64": "cG9pc29uLTE="}),
        json.dumps({"base64": "cG9pc29uLTI="}),
    }


def test_a_redelivered_event_is_applied_once(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", _sample())
    checksum_before = _checksum(ctx)
    posting = queries.known_postings(ctx.endpoints.dsn)["gh-brightloom-7731"]
    first = _rows(
        ctx,
        'SELECT topic, partition, "offset" FROM proj.audit_log WHERE event_id = %s',
        posting.last_event_id,
    )[0]
    from streams.reader import read_at

    raw = read_at(ctx.endpoints.bootstrap_servers, first["topic"], first["partition"], first["offset"])
    assert raw.value is not None
    ctx.producer.send_raw("postings", raw.key, raw.value)
    ctx.catch_up(targets_of(ctx.producer.flush()))
    dups = _rows(ctx, "SELECT event_id FROM proj.event_duplicates")
    assert [str(d["event_id"]) for d in dups] == [posting.last_event_id]
    assert queries.counts(ctx.endpoints.dsn)["events"] == 36
    assert _checksum(ctx) != checksum_before  # offsets and the duplicate record moved; postings did not
    assert queries.get_posting(ctx.endpoints.dsn, "gh-brightloom-7731")["version"] == 1  # type: ignore[index]


def _checksum(ctx: Context) -> str:
    with psycopg.connect(ctx.endpoints.dsn, row_factory=dict_row) as conn:
        return schema_checksum(conn, "proj")
