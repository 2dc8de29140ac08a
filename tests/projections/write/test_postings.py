"""The postings reducer: the normaliser is projected, and every row lists its columns in one order."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from processors.intake.changes import Known, content_dict, content_hash, decide, withdraw
from projections.columns import TRACEABLE_FIELDS
from projections.read import postings as queries
from projections.write.postings import ROW_COLUMNS, reduce_posting
from schemas.models import PostingContent, PostingEvent, Producer
from tests.conftest import SAMPLES

PRODUCER = Producer(component="intake", version="test")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CONTENT = PostingContent(
    source="lever", title="Nurse", company="Klinik", location="Kiel", description="Care."
)


def _known(event: PostingEvent) -> Known:
    assert event.content is not None and event.content_hash is not None
    return Known(
        event.version, event.content_hash, "open", str(event.meta.event_id), content_dict(event.content)
    )


def _apply(current: dict[str, Any] | None, event: PostingEvent) -> dict[str, Any]:
    write = reduce_posting(current, event)
    assert write is not None and write.outcome == "applied"
    return write.row


def _table_order(row: dict[str, Any]) -> dict[str, Any]:
    # As read back with SELECT *: the migrations' column order, normaliser last (added by 0008).
    return {c: row[c] for c in ROW_COLUMNS}


def test_the_row_records_the_normaliser_and_its_event() -> None:
    observed = decide("p1", CONTENT, None, PRODUCER, NOW)
    assert observed is not None
    row = _apply(None, observed)
    assert row["normaliser"] == observed.normaliser == "text-2"
    assert row["field_events"]["normaliser"] == str(observed.meta.event_id)
    assert "normaliser" in TRACEABLE_FIELDS


def test_an_event_from_before_versioning_projects_a_null_normaliser_and_an_upgrade_replaces_it() -> None:
    first = decide("p1", CONTENT, None, PRODUCER, NOW)
    assert first is not None
    legacy = first.model_copy(update={"normaliser": None})
    row = _apply(None, legacy)
    assert row["normaliser"] is None
    changed = decide("p1", CONTENT.model_copy(update={"description": "Care!"}), _known(legacy), PRODUCER, NOW)
    assert changed is not None
    after = _apply(_table_order(row), changed)
    assert after["normaliser"] == "text-2"
    assert after["field_events"]["normaliser"] == str(changed.meta.event_id)


def test_withdrawal_keeps_the_normaliser_of_the_stored_text() -> None:
    observed = decide("p1", CONTENT, None, PRODUCER, NOW)
    assert observed is not None
    row = _apply(None, observed)
    gone = _apply(_table_order(row), withdraw("p1", _known(observed), "filled", PRODUCER, NOW))
    assert (gone["status"], gone["normaliser"]) == ("withdrawn", "text-2")


def test_new_and_read_back_rows_list_columns_in_the_same_order() -> None:
    # The projector writes a batch by position with the first row's column list.
    a = decide("a", CONTENT, None, PRODUCER, NOW)
    b = decide("b", CONTENT, None, PRODUCER, NOW)
    assert a is not None and b is not None
    existing = _table_order(_apply(None, a))
    later = NOW + timedelta(days=1)
    change = decide("a", CONTENT.model_copy(update={"title": "Lead"}), _known(a), PRODUCER, later)
    assert change is not None
    changed_row = _apply(existing, change)
    new_row = _apply(None, b)
    assert list(changed_row) == list(new_row) == list(ROW_COLUMNS)
    assert content_hash(CONTENT) == new_row["content_hash"]


@pytest.mark.stack
def test_one_batch_with_a_changed_and_a_new_posting_projects_both(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
    first = json.loads((SAMPLES / "postings.jsonl").read_text().splitlines()[0])
    lines = [{**first, "title": "Changed title"}, {**first, "id": "batch-new-1"}]
    result = ingest_postings(ctx, "mixed.jsonl", "\n".join(map(json.dumps, lines)).encode())
    assert (result.summary()["changed"], result.summary()["new"]) == (1, 1)
    changed = queries.get_posting(ctx.endpoints.dsn, first["id"])
    new = queries.get_posting(ctx.endpoints.dsn, "batch-new-1")
    assert changed is not None and new is not None
    assert (changed["title"], changed["version"]) == ("Changed title", 2)
    assert (new["version"], new["normaliser"]) == (1, "text-2")
