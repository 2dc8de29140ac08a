"""Read queries on the live projection (used by the CLI, the API and intake)."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from processors.intake.changes import Known
from projections import db
from projections.columns import CONTENT_FIELDS
from projections.db import LIVE_SCHEMA


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
