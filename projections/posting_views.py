"""Posting reads as one viewer may see them (issue 13, item 7): lists, one posting, derivations,
requirement hits and traces all go through here.

A candidate sees a posting at the stage recorded for their own profile and that posting; any
other viewer without a right to every value sees it as at discovery; auditors and the posting's
own employer see it whole (their reads of sensitive fields are logged all the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from psycopg import sql

from processors.sensitive.access import Role, Viewer
from processors.sensitive.model import Access, Stage, default_rules
from processors.sensitive.redact import redact, unredacted
from processors.sensitive.template import render
from projections import db, jsonable
from projections.columns import CONTENT_FIELDS
from projections.db import LIVE_SCHEMA
from projections.read import access as access_reads


def stages_for(
    dsn: str, viewer: Viewer, posting_ids: list[str], schema: str = LIVE_SCHEMA
) -> dict[str, Stage]:
    if viewer.role is not Role.CANDIDATE or viewer.profile_id is None or not posting_ids:
        return dict.fromkeys(posting_ids, Stage.DISCOVERY)
    with db.connect(dsn) as conn:
        return access_reads.stages(conn, schema, viewer.profile_id, posting_ids)


def content_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The posting's content fields (with its id), as JSON values."""
    return jsonable.jsonable(
        {"posting_id": row["posting_id"], **{f: row[f] for f in CONTENT_FIELDS if f in row}}
    )


def posting_row(row: Mapping[str, Any], viewer: Viewer, stage: Stage) -> tuple[dict[str, Any], list[Access]]:
    """A posting row with its content fields as this viewer may read them; hidden fields are None."""
    content = content_of(row)
    rules = default_rules(row["posting_id"])
    if viewer.full_view(row["posting_id"], row.get("company")):
        _, accesses = unredacted(content, rules, stage, reason=f"full_view_{viewer.role}", purpose="posting")
        return dict(row), accesses
    view, accesses = redact(content, rules, stage, purpose="posting")
    shown = dict(row)
    for field in CONTENT_FIELDS:
        if field in shown:
            shown[field] = view.get(field)
    return shown, accesses


def posting_text(value: Any, row: Mapping[str, Any], viewer: Viewer, stage: Stage) -> Any:
    """Any tree of text about the posting (a derivation, a requirement, a traced value) scrubbed of
    what this viewer may not read yet."""
    full = viewer.full_view(row["posting_id"], row.get("company"))
    return render(value, content_of(row), default_rules(row["posting_id"]), stage, full=full)


def posting_rows(dsn: str, posting_ids: list[str], schema: str = LIVE_SCHEMA) -> dict[str, dict[str, Any]]:
    cols = sql.SQL(", ").join(map(sql.Identifier, ("posting_id", *CONTENT_FIELDS)))
    with db.connect(dsn) as conn:
        rows = conn.execute(
            sql.SQL("SELECT {} FROM {}.postings WHERE posting_id = ANY(%s)").format(
                cols, sql.Identifier(schema)
            ),
            (posting_ids,),
        )
        return {r["posting_id"]: dict(r) for r in rows}
