"""Pure projection logic: given the current row and an event, the rows to write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from processors.intake.changes import WITHDRAWN
from projections.columns import CONTENT_FIELDS
from schemas.models import PostingEvent

# The projector writes a batch's rows with the first row's columns, by position: every row
# must list its columns in one order, whether it is new or was read back from the table.
ROW_COLUMNS = (
    "posting_id",
    "version",
    "status",
    "content_hash",
    *CONTENT_FIELDS,
    "first_seen_at",
    "updated_at",
    "last_event_id",
    "field_events",
    "normaliser",
)


@dataclass(frozen=True)
class PostingWrite:
    row: dict[str, Any]
    version_row: dict[str, Any] | None
    outcome: str  # applied | stale


def reduce_posting(current: dict[str, Any] | None, event: PostingEvent) -> PostingWrite | None:
    """None when the event cannot apply (a change or withdrawal for a posting never observed)."""
    eid = str(event.meta.event_id)
    at = event.meta.occurred_at
    if event.meta.event_type == WITHDRAWN:
        if current is None:
            return None
        row = {**current, "status": "withdrawn", "updated_at": at, "last_event_id": eid}
        row["field_events"] = {**current["field_events"], "status": eid}
        return PostingWrite(_ordered(row), None, "applied")
    if event.content is None or event.content_hash is None:
        return None
    if current is not None and event.version < current["version"]:
        return PostingWrite(current, None, "stale")
    content = event.content.model_dump(mode="python")
    if current is None:
        touched = [*CONTENT_FIELDS, "status", "version", "content_hash", "normaliser"]
        base: dict[str, Any] = {"posting_id": event.posting_id, "first_seen_at": at, "field_events": {}}
    else:
        touched = [f for f in CONTENT_FIELDS if current.get(f) != content.get(f)]
        if current["status"] != "open":
            touched.append("status")
        if current["version"] != event.version:
            touched += ["version", "content_hash"]
        if current.get("normaliser") != event.normaliser:
            touched.append("normaliser")
        base = current
    row = {
        **base,
        **content,
        "version": event.version,
        "status": "open",
        "content_hash": event.content_hash,
        # Which cleaning rules produced the stored text; kept on withdrawal (the text stays).
        "normaliser": event.normaliser,
        "updated_at": at,
        "last_event_id": eid,
        "field_events": {**base["field_events"], **{f: eid for f in touched}},
    }
    new_version = current is None or current["version"] != event.version
    version_row = (
        {
            "posting_id": event.posting_id,
            "version": event.version,
            "event_id": eid,
            "event_type": event.meta.event_type,
            "content_hash": event.content_hash,
            "content": event.content.model_dump(mode="json"),
            "changed_fields": list(event.changed_fields),
            "occurred_at": at,
        }
        if new_version
        else None
    )
    return PostingWrite(_ordered(row), version_row, "applied")


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    known = {c: row[c] for c in ROW_COLUMNS if c in row}
    return known | {c: v for c, v in row.items() if c not in known}
