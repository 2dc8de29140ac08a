"""Read queries for runs, derivation versions and requirements (CLI and API)."""

from __future__ import annotations

import re
from typing import Any

from psycopg import sql

from processors.pipeline.work import PriorDerivation
from projections import db
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from projections.read import pipeline as pipeline_queries
from schemas.errors import NotFound

# `--where` may filter on these posting columns only (identifiers are never taken from input).
FILTER_COLUMNS = ("posting_id", "source", "title", "company", "location", "currency", "work_model", "status")
_CLAUSE = re.compile(r"^\s*([a-z_]+)\s*(=|~|!=)\s*(.+?)\s*$")


def _s(schema: str) -> sql.Identifier:
    return sql.Identifier(schema)


def _runs_where(
    reason: str | None, status: str | None, posting_id: str | None, run_ids: list[str] | None
) -> tuple[sql.Composable, list[Any]]:
    clauses: list[sql.Composable] = []
    params: list[Any] = []
    for column, value in (("reason", reason), ("status", status), ("posting_id", posting_id)):
        if value is not None:
            clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if run_ids is not None:
        clauses.append(sql.SQL("run_id = ANY(%s::uuid[])"))
        params.append(run_ids)
    return (sql.SQL(" WHERE ") + sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("")), params


def list_runs(
    dsn: str,
    *,
    reason: str | None = None,
    status: str | None = None,
    posting_id: str | None = None,
    run_ids: list[str] | None = None,
    limit: int = 100,
    offset: int = 0,
    schema: str = LIVE_SCHEMA,
) -> list[dict[str, Any]]:
    where, params = _runs_where(reason, status, posting_id, run_ids)
    query = sql.SQL("SELECT * FROM {}.runs{} ORDER BY started_at DESC, run_id LIMIT %s OFFSET %s").format(
        _s(schema), where
    )
    with db.connect(dsn) as conn:
        return [jsonable(dict(r)) for r in conn.execute(query, [*params, limit, offset])]


def count_runs(
    dsn: str,
    *,
    reason: str | None = None,
    status: str | None = None,
    posting_id: str | None = None,
    schema: str = LIVE_SCHEMA,
) -> int:
    where, params = _runs_where(reason, status, posting_id, None)
    query = sql.SQL("SELECT count(*) AS n FROM {}.runs{}").format(_s(schema), where)
    with db.connect(dsn) as conn:
        row = conn.execute(query, params).fetchone()
    return int(row["n"]) if row else 0


def run_statuses(dsn: str, run_ids: list[str], schema: str = LIVE_SCHEMA) -> dict[str, str]:
    query = sql.SQL("SELECT run_id, status FROM {}.runs WHERE run_id = ANY(%s::uuid[])").format(_s(schema))
    with db.connect(dsn) as conn:
        return {str(r["run_id"]): r["status"] for r in conn.execute(query, (run_ids,))}


def postings_where(dsn: str, filters: list[str], schema: str = LIVE_SCHEMA) -> list[str]:
    """`column=value`, `column!=value` or `column~text` (case-insensitive contains), ANDed."""
    clauses, params = [], []
    for f in filters:
        for part in f.split(","):
            m = _CLAUSE.match(part)
            if not m or m.group(1) not in FILTER_COLUMNS:
                raise ValueError(
                    f"--where {part!r}: expected COLUMN=VALUE, COLUMN!=VALUE or COLUMN~TEXT "
                    f"with COLUMN one of {', '.join(FILTER_COLUMNS)}"
                )
            column, op, value = m.groups()
            if op == "~":
                clauses.append(sql.SQL("{} ILIKE %s").format(sql.Identifier(column)))
                params.append(f"%{value}%")
            else:
                clauses.append(sql.SQL("{} {} %s").format(sql.Identifier(column), sql.SQL(op)))
                params.append(value)
    query = sql.SQL("SELECT posting_id FROM {}.postings WHERE {} ORDER BY posting_id").format(
        _s(schema), sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("true")
    )
    with db.connect(dsn) as conn:
        return [r["posting_id"] for r in conn.execute(query, params)]


def all_posting_ids(dsn: str, schema: str = LIVE_SCHEMA) -> list[str]:
    return postings_where(dsn, ["status=open"], schema)


def versions(dsn: str, posting_id: str, schema: str = LIVE_SCHEMA) -> dict[str, Any]:
    with db.connect(dsn) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT version, event_id, run_id, reason, engine_config, created_at FROM {}.derivations "
                "WHERE posting_id = %s ORDER BY version"
            ).format(_s(schema)),
            (posting_id,),
        ).fetchall()
        head = conn.execute(
            sql.SQL("SELECT * FROM {}.derivation_heads WHERE posting_id = %s").format(_s(schema)),
            (posting_id,),
        ).fetchone()
    return {"versions": [jsonable(dict(r)) for r in rows], "head": jsonable(dict(head)) if head else None}


def derivation(dsn: str, posting_id: str, version: int | None, schema: str = LIVE_SCHEMA) -> PriorDerivation:
    with db.connect(dsn) as conn:
        found = pipeline_queries.derivations(conn, schema, [posting_id], version=version)
    if posting_id not in found:
        what = "derivation" if version is None else f"derivation version {version}"
        raise NotFound(f"posting {posting_id!r} has no {what} in the projection")
    return found[posting_id]


def _requiring_where(
    certification: str | None, kind: str | None, min_years: float | None, skill_code: str | None
) -> tuple[sql.Composable, list[Any]]:
    clauses: list[sql.Composable] = []
    params: list[Any] = []
    if certification is not None or kind is not None:
        cert: dict[str, Any] = {}
        if certification is not None:
            cert["name"] = certification
        if kind is not None:
            cert["kind"] = kind
        clauses.append(sql.SQL("proof_stack @> %s::jsonb"))
        params.append(_json({"certification": cert}))
    if skill_code is not None:
        clauses.append(sql.SQL("proof_stack @> %s::jsonb"))
        params.append(_json({"skill": {"code": skill_code}}))
    if min_years is not None:
        clauses.append(sql.SQL("((proof_stack -> 'experience' ->> 'value')::numeric) >= %s"))
        params.append(min_years)
    if not clauses:
        raise ValueError("give at least one of certification, kind, min_years, skill_code")
    return sql.SQL(" AND ").join(clauses), params


def requiring(
    dsn: str,
    *,
    certification: str | None = None,
    kind: str | None = None,
    min_years: float | None = None,
    skill_code: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    schema: str = LIVE_SCHEMA,
) -> list[dict[str, Any]]:
    """Seed 000's questions, answered from the requirement index: containment (`@>`) uses the GIN
    index; the years bound uses the expression index on the experience value. Every match
    unless `limit` is given."""
    where, params = _requiring_where(certification, kind, min_years, skill_code)
    query = sql.SQL(
        "SELECT posting_id, version, idx, text, proof_stack FROM {}.requirements_latest WHERE {} "
        "ORDER BY posting_id, idx, alt LIMIT %s OFFSET %s"
    ).format(_s(schema), where)
    with db.connect(dsn) as conn:
        return [jsonable(dict(r)) for r in conn.execute(query, [*params, limit, offset])]


def count_requiring(
    dsn: str,
    *,
    certification: str | None = None,
    kind: str | None = None,
    min_years: float | None = None,
    skill_code: str | None = None,
    schema: str = LIVE_SCHEMA,
) -> int:
    where, params = _requiring_where(certification, kind, min_years, skill_code)
    query = sql.SQL("SELECT count(*) AS n FROM {}.requirements_latest WHERE {}").format(_s(schema), where)
    with db.connect(dsn) as conn:
        row = conn.execute(query, params).fetchone()
    return int(row["n"]) if row else 0


def _json(obj: Any) -> str:
    import json

    return json.dumps(obj)
