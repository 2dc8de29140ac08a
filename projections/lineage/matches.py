"""Lineage of a match's numbers: the match event, the profile version and the derivation version
it was computed from, and their causes down to the posting event."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from projections import db
from projections.db import LIVE_SCHEMA
from projections.lineage.events import TraceError, audit_event, causes_of
from projections.lineage.jury import trace_jury
from projections.read.matches import match_row

MATCH_FIELDS = ("fit", "stretch", "practical", "recommendation", "ghost_score")


def _pick(detail: dict[str, Any], field: str) -> Any:
    value: Any = detail
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            raise TraceError(
                f"{field!r} is not in the match; fields: {', '.join(MATCH_FIELDS)} (and their parts), jury.verdict"
            )
        value = value[part]
    return value


def _erased(conn: Any, schema: str, profile_id: str, field: str, posting_id: str) -> dict[str, Any] | None:
    """The trace of an erased profile's match: the value is "erased", the event is the erasure."""
    row = conn.execute(
        sql.SQL("SELECT event_id FROM {}.erasures WHERE profile_id = %s").format(sql.Identifier(schema)),
        (profile_id,),
    ).fetchone()
    head = None if row is None else audit_event(conn, schema, str(row["event_id"]))
    if head is None:
        return None
    return {
        "entity": "match",
        "id": f"{profile_id}/{posting_id}",
        "field": field,
        "value": "erased",
        "event": head,
        "causes": [],
        "related": [],
        "verified": None,
    }


def trace_match(
    dsn: str, profile_id: str, posting_id: str, field: str = "fit", schema: str = LIVE_SCHEMA
) -> dict[str, Any]:
    if field.startswith("jury."):
        base = trace_match(dsn, profile_id, posting_id, "recommendation", schema)
        return trace_jury(dsn, profile_id, posting_id, field, schema, base)
    with db.connect(dsn) as conn:
        row = match_row(conn, schema, profile_id, posting_id)
        if row is None:
            erased = _erased(conn, schema, profile_id, field, posting_id)
            if erased is not None:
                return erased
            raise TraceError(f"no match for profile {profile_id!r} and posting {posting_id!r}")
        value = _pick(row["detail"], field)
        head = audit_event(conn, schema, str(row["event_id"]))
        if head is None:
            raise TraceError(
                f"match event {row['event_id']} is missing from the audit log: rebuild the projections"
            )
        related: list[dict[str, Any]] = []
        seen = {head["event_id"]}
        for role, event_id in (
            ("profile version", row["profile_event_id"]),
            ("derivation version", row["derivation_event_id"]),
        ):
            ev = audit_event(conn, schema, event_id) if event_id else None
            if ev is None:
                continue
            for i, e in enumerate([ev, *causes_of(conn, schema, ev)]):
                if e.get("missing") or e["event_id"] in seen:
                    continue
                seen.add(e["event_id"])
                related.append({**e, "role": role if i == 0 else f"{role} ← cause"})
        derivation = conn.execute(
            sql.SQL("SELECT posting_event_id FROM {}.derivations WHERE event_id = %s::uuid").format(
                sql.Identifier(schema)
            ),
            (row["derivation_event_id"],),
        ).fetchone()
        if derivation and derivation["posting_event_id"] and derivation["posting_event_id"] not in seen:
            ev = audit_event(conn, schema, derivation["posting_event_id"])
            if ev:
                related.append({**ev, "role": "posting version read by the run"})
        causes = [
            c
            for c in causes_of(conn, schema, head)
            if c.get("event_id") not in {r["event_id"] for r in related}
        ]
    return {
        "entity": "match",
        "id": f"{profile_id}/{posting_id}",
        "field": field,
        "value": value,
        "versions": {"profile": row["profile_version"], "derivation": row["derivation_version"]},
        "event": head,
        "causes": causes,
        "related": related,
        "verified": None,
    }
