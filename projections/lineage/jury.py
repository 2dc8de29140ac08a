"""Lineage of a match's jury verdict: Helen's decision, the Oscar and Rita decisions she read,
the match event they all read, and below it the profile and derivation versions."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from projections import db
from projections.lineage.events import TraceError, audit_event, causes_of


def trace_jury(
    dsn: str, profile_id: str, posting_id: str, field: str, schema: str, base: dict[str, Any]
) -> dict[str, Any]:
    """`base`: the trace of the pair's current match (its recommendation), which the jury read."""
    match_id = base["event"]["event_id"]
    with db.connect(dsn) as conn:
        row = conn.execute(
            sql.SQL("SELECT * FROM {}.jury_verdicts WHERE match_event_id = %s").format(
                sql.Identifier(schema)
            ),
            (match_id,),
        ).fetchone()
        if row is None:
            raise TraceError(
                f"no jury sat on the current match of {profile_id!r} and {posting_id!r} — "
                f"`turing jury run --profile {profile_id} --posting {posting_id}` convenes one"
            )
        part = field.removeprefix("jury.")
        values = {"verdict": row["verdict"], "reasons": row["reasons"], "addresses": row["addresses"]}
        if part not in values:
            raise TraceError(
                f"{field!r} is not in the jury's answer; fields: jury.verdict, jury.reasons, jury.addresses"
            )
        head = audit_event(conn, schema, str(row["helen_decision_id"]))
        if head is None:
            raise TraceError("Helen's decision is missing from the audit log: rebuild the projections")
        members = []
        for role, event_id in (
            ("Oscar (for)", row["oscar_decision_id"]),
            ("Rita (gaps)", row["rita_decision_id"]),
        ):
            ev = audit_event(conn, schema, str(event_id)) if event_id else None
            if ev is None:
                raise TraceError(f"{role} decision {event_id} is missing from the audit log")
            members.append({**ev, "role": role})
        causes = causes_of(conn, schema, head)
    seen = {c["event_id"] for c in causes} | {m["event_id"] for m in members}
    related = members + [r for r in base["related"] if r["event_id"] not in seen]
    return {
        "entity": "match",
        "id": f"{profile_id}/{posting_id}",
        "field": field,
        "value": values[part],
        "versions": base["versions"],
        "event": head,
        "causes": causes,
        "related": related,
        "verified": None,
    }
