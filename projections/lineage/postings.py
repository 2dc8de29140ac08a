"""Lineage: the event that set a projected field, its causes down to the first one, and proof.

`verify` re-reads each event from the broker at its recorded coordinates and checks that
the bytes hash to what the audit log recorded and decode to the same event id.
"""

from __future__ import annotations

import hashlib
from typing import Any

import psycopg
from psycopg import sql

from projections import db
from projections.columns import TRACEABLE_FIELDS
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from schemas.codec import EventCodec
from schemas.errors import BrokerUnavailable, NotFound
from streams.reader import read_at

MAX_DEPTH = 100
_EVENT_COLUMNS = (
    'event_id, topic, partition, "offset", key, event_type, occurred_at, producer_component, '
    "producer_version, causation_id, correlation_id, run_id, schema_id, value_sha256"
)


class TraceError(NotFound):
    """The posting or field does not exist; the message says what does."""


def _event(conn: psycopg.Connection[Any], schema: str, event_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        sql.SQL("SELECT " + _EVENT_COLUMNS + " FROM {}.audit_log WHERE event_id = %s").format(
            sql.Identifier(schema)
        ),
        (event_id,),
    ).fetchone()
    if row is None:
        return None
    return {
        "event_id": str(row["event_id"]),
        "event_type": row["event_type"],
        "topic": row["topic"],
        "partition": row["partition"],
        "offset": row["offset"],
        "key": row["key"],
        "occurred_at": row["occurred_at"].isoformat(),
        "producer": {"component": row["producer_component"], "version": row["producer_version"]},
        "causation_id": row["causation_id"],
        "correlation_id": row["correlation_id"],
        "run_id": row["run_id"],
        "schema_id": row["schema_id"],
        "value_sha256": row["value_sha256"],
    }


def causes_of(conn: psycopg.Connection[Any], schema: str, head: dict[str, Any]) -> list[dict[str, Any]]:
    """Follow `causation_id` from `head` down to the first event."""
    causes: list[dict[str, Any]] = []
    seen = {head["event_id"]}
    cause_id = head["causation_id"]
    while cause_id and len(causes) < MAX_DEPTH and cause_id not in seen:
        cause = _event(conn, schema, cause_id)
        if cause is None:
            causes.append({"event_id": cause_id, "missing": True})
            break
        causes.append(cause)
        seen.add(cause_id)
        cause_id = cause["causation_id"]
    return causes


def trace_posting(dsn: str, posting_id: str, field: str, schema: str = LIVE_SCHEMA) -> dict[str, Any]:
    """A posting field (its content) or a derived field (summary, requirements[N].LAYER, ...)."""
    from projections.lineage.derived import DERIVED_HELP, is_derived, trace_derived

    if is_derived(field):
        return trace_derived(dsn, posting_id, field, schema)
    if field not in TRACEABLE_FIELDS:
        raise TraceError(
            f"field {field!r} cannot be traced on a posting; traceable fields: {', '.join(TRACEABLE_FIELDS)}, "
            f"{DERIVED_HELP}"
        )
    with db.connect(dsn) as conn:
        row = conn.execute(
            sql.SQL("SELECT * FROM {}.postings WHERE posting_id = %s").format(sql.Identifier(schema)),
            (posting_id,),
        ).fetchone()
        if row is None:
            raise TraceError(f"no posting with id {posting_id!r} in the projection")
        event_id = row["field_events"].get(field)
        if event_id is None:
            raise TraceError(f"the projection records no event for field {field!r} of posting {posting_id!r}")
        head = _event(conn, schema, event_id)
        if head is None:
            raise TraceError(f"event {event_id} is missing from the audit log: rebuild the projections")
        causes = causes_of(conn, schema, head)
    return {
        "entity": "posting",
        "id": posting_id,
        "field": field,
        "value": jsonable(row[field]),
        "event": head,
        "causes": causes,
        "verified": None,
    }


def verify(trace: dict[str, Any], bootstrap: str, codec: EventCodec) -> dict[str, Any]:
    """Re-read every event of the trace from the log; `verified` is true only if all match."""
    checks = []
    for event in [trace["event"], *trace["causes"], *trace.get("related", [])]:
        checks.append(_verify_one(event, bootstrap, codec))
    return {**trace, "verified": all(c["ok"] for c in checks), "verification": checks}


def _verify_one(event: dict[str, Any], bootstrap: str, codec: EventCodec) -> dict[str, Any]:
    where = f"{event.get('topic')}[{event.get('partition')}]@{event.get('offset')}"
    if event.get("missing"):
        return {"event_id": event["event_id"], "at": None, "ok": False, "reason": "not in the audit log"}
    try:
        rec = read_at(bootstrap, event["topic"], event["partition"], event["offset"])
    except (LookupError, BrokerUnavailable) as exc:
        return {"event_id": event["event_id"], "at": where, "ok": False, "reason": f"cannot re-read: {exc}"}
    digest = hashlib.sha256(rec.value or b"").hexdigest()
    if digest != event["value_sha256"]:
        return {
            "event_id": event["event_id"],
            "at": where,
            "ok": False,
            "reason": "bytes in the log differ from the audit log's hash",
        }
    _, record = codec.decode_record(event["topic"], rec.value or b"")
    logged_id = str(record["meta"]["event_id"])
    if logged_id != event["event_id"]:
        return {
            "event_id": event["event_id"],
            "at": where,
            "ok": False,
            "reason": f"the log holds event {logged_id} there",
        }
    return {"event_id": event["event_id"], "at": where, "ok": True, "sha256": digest}
