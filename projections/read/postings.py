"""Reads of postings: what intake's change detection needs, lists and counts, one posting with its
versions, and postings as one viewer may see them (issue 13, item 7: lists, one posting,
derivations, requirement hits and traces all go through `posting_row` / `posting_text`).

A candidate sees a posting at the stage recorded for their own profile and that posting; any
other viewer without a right to every value sees it as at discovery; auditors and the posting's
own employer see it whole (their reads of sensitive fields are logged all the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg import sql

from processors.intake.changes import Known
from processors.sensitive.access import Role, Viewer
from processors.sensitive.model import Access, Stage, default_rules
from processors.sensitive.redact import redact, unredacted
from processors.sensitive.template import render
from projections import db
from projections.columns import CONTENT_FIELDS
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from projections.read import access as access_reads


def known_postings(
    dsn: str, schema: str = LIVE_SCHEMA, posting_ids: list[str] | None = None
) -> dict[str, Known]:
    """What change detection needs per posting: all of them, or only `posting_ids`."""
    cols = sql.SQL(", ").join(map(sql.Identifier, CONTENT_FIELDS))
    where = sql.SQL(" WHERE posting_id = ANY(%s)") if posting_ids is not None else sql.SQL("")
    query = sql.SQL(
        "SELECT posting_id, version, content_hash, status, last_event_id, {} FROM {}.postings{}"
    ).format(cols, sql.Identifier(schema), where)
    out: dict[str, Known] = {}
    with db.connect(dsn) as conn:
        for r in conn.execute(query, [posting_ids] if posting_ids is not None else []):
            content = {f: r[f] for f in CONTENT_FIELDS}
            if content["posted_at"] is not None:
                content["posted_at"] = content["posted_at"].isoformat().replace("+00:00", "Z")
            out[r["posting_id"]] = Known(
                r["version"], r["content_hash"], r["status"], str(r["last_event_id"]), content
            )
    return out


def _status_filter(status: str | None) -> tuple[sql.Composable, list[Any]]:
    return (sql.SQL("WHERE status = %s"), [status]) if status else (sql.SQL(""), [])


def list_postings(
    dsn: str, limit: int = 50, status: str | None = None, schema: str = LIVE_SCHEMA, offset: int = 0
) -> list[dict[str, Any]]:
    where, params = _status_filter(status)
    query = sql.SQL(
        "SELECT posting_id, version, status, title, company, location, work_model, salary_min, salary_max, "
        "currency, posted_at, updated_at FROM {}.postings {} ORDER BY posting_id LIMIT %s OFFSET %s"
    ).format(sql.Identifier(schema), where)
    with db.connect(dsn) as conn:
        return list(conn.execute(query, [*params, limit, offset]))


def count_postings(dsn: str, status: str | None = None, schema: str = LIVE_SCHEMA) -> int:
    where, params = _status_filter(status)
    query = sql.SQL("SELECT count(*) AS n FROM {}.postings {}").format(sql.Identifier(schema), where)
    with db.connect(dsn) as conn:
        row = conn.execute(query, params).fetchone()
    return int(row["n"]) if row else 0


def posting_exists(dsn: str, posting_id: str, schema: str = LIVE_SCHEMA) -> bool:
    query = sql.SQL("SELECT 1 FROM {}.postings WHERE posting_id = %s").format(sql.Identifier(schema))
    with db.connect(dsn) as conn:
        return conn.execute(query, (posting_id,)).fetchone() is not None


def get_posting(dsn: str, posting_id: str, schema: str = LIVE_SCHEMA) -> dict[str, Any] | None:
    with db.connect(dsn) as conn:
        row = conn.execute(
            sql.SQL("SELECT * FROM {}.postings WHERE posting_id = %s").format(sql.Identifier(schema)),
            (posting_id,),
        ).fetchone()
        if row is None:
            return None
        versions = conn.execute(
            sql.SQL(
                "SELECT version, event_id, event_type, content_hash, changed_fields, occurred_at "
                "FROM {}.posting_versions WHERE posting_id = %s ORDER BY version"
            ).format(sql.Identifier(schema)),
            (posting_id,),
        ).fetchall()
    row["versions"] = versions
    return row


def counts(dsn: str, schema: str = LIVE_SCHEMA) -> dict[str, int]:
    with db.connect(dsn) as conn:
        row = conn.execute(
            sql.SQL(
                "SELECT (SELECT count(*) FROM {s}.postings) AS postings, "
                "(SELECT count(*) FROM {s}.posting_versions) AS versions, "
                "(SELECT count(*) FROM {s}.audit_log) AS events, "
                "(SELECT count(*) FROM {s}.rejected_records) AS rejected"
            ).format(s=sql.Identifier(schema))
        ).fetchone()
    return dict(row or {})


def stages_for(
    dsn: str, viewer: Viewer, posting_ids: list[str], schema: str = LIVE_SCHEMA
) -> dict[str, Stage]:
    if viewer.role is not Role.CANDIDATE or viewer.profile_id is None or not posting_ids:
        return dict.fromkeys(posting_ids, Stage.DISCOVERY)
    with db.connect(dsn) as conn:
        return access_reads.stages(conn, schema, viewer.profile_id, posting_ids)


def content_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The posting's content fields (with its id), as JSON values."""
    return jsonable({"posting_id": row["posting_id"], **{f: row[f] for f in CONTENT_FIELDS if f in row}})


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


def content_rows(
    conn: psycopg.Connection[Any], schema: str, posting_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The content fields (with the id) of each posting in the projection, by id."""
    cols = sql.SQL(", ").join(map(sql.Identifier, ("posting_id", *CONTENT_FIELDS)))
    rows = conn.execute(
        sql.SQL("SELECT {} FROM {}.postings WHERE posting_id = ANY(%s)").format(cols, sql.Identifier(schema)),
        (posting_ids,),
    )
    return {r["posting_id"]: dict(r) for r in rows}


def posting_rows(dsn: str, posting_ids: list[str], schema: str = LIVE_SCHEMA) -> dict[str, dict[str, Any]]:
    with db.connect(dsn) as conn:
        return content_rows(conn, schema, posting_ids)
