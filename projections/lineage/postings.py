"""Lineage of a posting's fields: the event that set a content field, or (for a derived field) the
decision behind it, with the causes down to the first event."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from projections import db
from projections.columns import TRACEABLE_FIELDS
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from projections.lineage.derived import DERIVED_HELP, is_derived, trace_derived
from projections.lineage.events import TraceError, audit_event, causes_of


def trace_posting(dsn: str, posting_id: str, field: str, schema: str = LIVE_SCHEMA) -> dict[str, Any]:
    """A posting field (its content) or a derived field (summary, requirements[N].LAYER, ...)."""
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
        head = audit_event(conn, schema, event_id)
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
