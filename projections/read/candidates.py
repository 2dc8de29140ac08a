"""A posting's candidates, best first: what its employer (or an auditor, or a service) reads.

Each pair is shown like a candidate's own match (projections/read/matches.py): at its recorded
stage, with the posting whole for its own employer and for auditors.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from processors.sensitive.access import Viewer, shown_stage
from processors.sensitive.model import Access, Stage
from projections import db
from projections.db import LIVE_SCHEMA
from projections.read import access as access_reads
from projections.read.matches import match_view, posting_contents, sees_everything


def candidates(
    dsn: str,
    posting_id: str,
    stage: Stage | None,
    viewer: Viewer | None,
    limit: int = 20,
    offset: int = 0,
    include_blocked: bool = False,
    schema: str = LIVE_SCHEMA,
) -> tuple[list[dict[str, Any]], dict[str, list[Access]]]:
    """One page of the posting's matches, best first, and the sensitive reads per profile."""
    query = sql.SQL(
        "SELECT m.* "
        + _text(include_blocked)
        + " ORDER BY m.blocked, m.fit_total DESC, m.profile_id LIMIT %s OFFSET %s"
    ).format(s=sql.Identifier(schema))
    with db.connect(dsn) as conn:
        rows = conn.execute(query, (posting_id, limit, offset)).fetchall()
        posting = posting_contents(conn, schema, [posting_id]).get(posting_id)
        recorded = {
            r["profile_id"]: access_reads.stages(conn, schema, r["profile_id"], [posting_id])[posting_id]
            for r in rows
        }
    if posting is None:
        return [], {}
    out: list[dict[str, Any]] = []
    reads: dict[str, list[Access]] = {}
    for rank, row in enumerate(rows, start=offset + 1):
        at = shown_stage(recorded[row["profile_id"]], stage)
        shown, accesses = match_view(dict(row), posting, at, sees_everything(viewer, posting))
        out.append({"rank": rank, "profile_id": row["profile_id"], "posting_id": posting_id, **shown})
        reads.setdefault(row["profile_id"], []).extend(accesses)
    return out, reads


def count_candidates(
    dsn: str, posting_id: str, include_blocked: bool = False, schema: str = LIVE_SCHEMA
) -> int:
    query = sql.SQL("SELECT count(*) AS n " + _text(include_blocked)).format(s=sql.Identifier(schema))
    with db.connect(dsn) as conn:
        row = conn.execute(query, (posting_id,)).fetchone()
    return int(row["n"]) if row else 0


def _text(include_blocked: bool) -> str:
    blocked = "" if include_blocked else " AND NOT m.blocked"
    return "FROM {s}.matches m JOIN {s}.profiles pr USING (profile_id) WHERE m.posting_id = %s" + blocked
