"""The audit log as traces read it: one event by id, its causes down to the first one."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from schemas.errors import NotFound

MAX_DEPTH = 100
_EVENT_COLUMNS = (
    'event_id, topic, partition, "offset", key, event_type, occurred_at, producer_component, '
    "producer_version, causation_id, correlation_id, run_id, schema_id, value_sha256"
)


class TraceError(NotFound):
    """The posting or field does not exist; the message says what does."""


def audit_event(conn: psycopg.Connection[Any], schema: str, event_id: str) -> dict[str, Any] | None:
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
        cause = audit_event(conn, schema, cause_id)
        if cause is None:
            causes.append({"event_id": cause_id, "missing": True})
            break
        causes.append(cause)
        seen.add(cause_id)
        cause_id = cause["causation_id"]
    return causes
