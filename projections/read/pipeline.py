"""Reads of the pipeline's projection: runs, derivation versions and their requirements, decisions
and what may be reused, and the posting state a batch starts from (the pipeline, the CLI and the API)."""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg
from psycopg import sql

from processors.pipeline.executor import Reusable, ReuseKey
from processors.pipeline.work import PostingState, PriorDerivation
from projections import db
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from schemas.errors import NotFound
from schemas.models import PostingContent


def _in(schema: str, query: str) -> sql.Composed:
    return sql.SQL(query).format(s=sql.Identifier(schema))


def posting_states(conn: psycopg.Connection[Any], schema: str, ids: list[str]) -> dict[str, PostingState]:
    rows = conn.execute(
        _in(schema, "SELECT * FROM {s}.postings WHERE posting_id = ANY(%s)"), (ids,)
    ).fetchall()
    counts = {
        r["key"]: r
        for r in conn.execute(
            _in(
                schema,
                "SELECT key, count(*) FILTER (WHERE event_type = 'posting.seen_again') AS seen, "
                "count(*) FILTER (WHERE event_type = 'posting.changed') AS changed "
                "FROM {s}.audit_log WHERE topic = 'postings' AND key = ANY(%s) GROUP BY key",
            ),
            (ids,),
        )
    }
    out = {}
    for r in rows:
        c = counts.get(r["posting_id"], {})
        content = PostingContent.model_validate({k: r[k] for k in PostingContent.model_fields})
        out[r["posting_id"]] = PostingState(
            posting_id=r["posting_id"],
            event_id=str(r["last_event_id"]),
            content=content,
            status=r["status"],
            first_seen_at=r["first_seen_at"],
            times_seen=1 + int(c.get("seen", 0)),
            times_changed=int(c.get("changed", 0)),
        )
    return out


def prior_from_row(r: dict[str, Any], requirements: list[dict[str, Any]]) -> PriorDerivation:
    return PriorDerivation(
        version=r["version"],
        event_id=str(r["event_id"]),
        posting_event_id=r["posting_event_id"],
        summary=r["summary"],
        culture_text=r["culture_text"],
        requirements=requirements,
        responsibilities=list(r["responsibilities"]),
        skills=list(r["skills"]),
        red_flags=dict(r["red_flags"]),
        ihl_score=r["ihl_score"],
        red_flag_category=r["red_flag_category"],
        ghost_score=r["ghost_score"],
        decision_ids=list(r["decision_ids"]),
    )


def derivations(
    conn: psycopg.Connection[Any],
    schema: str,
    ids: list[str],
    version: int | None = None,
) -> dict[str, PriorDerivation]:
    """The version in force (or a given version) for each posting, with its requirements."""
    table = "derivations_latest" if version is None else "derivations"
    where = "" if version is None else " AND version = %s"
    params: tuple[Any, ...] = (ids,) if version is None else (ids, version)
    rows = conn.execute(_in(schema, f"SELECT * FROM {{s}}.{table} WHERE posting_id = ANY(%s){where}"), params)
    found = {r["posting_id"]: r for r in rows}
    reqs: dict[tuple[str, int], dict[int, dict[str, Any]]] = {}
    keys = [(pid, r["version"]) for pid, r in found.items()]
    if keys:
        for q in conn.execute(
            _in(
                schema,
                "SELECT posting_id, version, idx, alt, text, proof_stack, decision_id FROM {s}.requirements "
                "WHERE (posting_id, version) IN (SELECT * FROM unnest(%s::text[], %s::int[])) "
                "ORDER BY posting_id, version, idx, alt",
            ),
            ([k[0] for k in keys], [k[1] for k in keys]),
        ):
            per = reqs.setdefault((q["posting_id"], q["version"]), {})
            item = per.setdefault(
                q["idx"],
                {"index": q["idx"], "text": q["text"], "proof_stacks": [], "decision_id": q["decision_id"]},
            )
            if q["proof_stack"]:
                item["proof_stacks"].append(q["proof_stack"])
    return {
        pid: prior_from_row(r, [v for _, v in sorted(reqs.get((pid, r["version"]), {}).items())])
        for pid, r in found.items()
    }


def max_versions(conn: psycopg.Connection[Any], schema: str, ids: list[str]) -> dict[str, int]:
    rows = conn.execute(
        _in(
            schema,
            "SELECT posting_id, max(version) AS v FROM {s}.derivations WHERE posting_id = ANY(%s) GROUP BY 1",
        ),
        (ids,),
    )
    return {r["posting_id"]: r["v"] for r in rows}


def decisions_by_step(
    conn: psycopg.Connection[Any], schema: str, decision_ids: list[str]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in conn.execute(
        _in(
            schema,
            "SELECT event_id, step FROM {s}.decisions WHERE event_id = ANY(%s::uuid[]) ORDER BY occurred_at",
        ),
        (decision_ids,),
    ):
        out.setdefault(r["step"], []).append(str(r["event_id"]))
    return out


def reusable(conn: psycopg.Connection[Any], schema: str, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
    """Earlier successful decisions with the same task, input, engine, model, prompt and taxonomy
    (a decision that read no taxonomy, or one made before decisions named it, has none)."""
    if not keys:
        return {}
    rows = conn.execute(
        _in(
            schema,
            "SELECT DISTINCT ON (task, input_hash, engine, model, prompt_hash, taxonomy) "
            "task, input_hash, engine, model, prompt_hash, taxonomy, "
            "coalesce(reused_decision_id, event_id::text) AS origin, output FROM {s}.decisions d "
            "WHERE status IN ('ok', 'reused') AND EXISTS (SELECT 1 FROM unnest("
            "%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
            "AS k(task, input_hash, engine, model, prompt_hash, taxonomy) "
            "WHERE (k.task, k.input_hash, k.engine, k.model, k.prompt_hash) = "
            "(d.task, d.input_hash, d.engine, d.model, d.prompt_hash) "
            "AND k.taxonomy IS NOT DISTINCT FROM d.taxonomy) "
            "ORDER BY task, input_hash, engine, model, prompt_hash, taxonomy, occurred_at",
        ),
        tuple(
            list(col)
            for col in zip(
                *[(k.task, k.input_hash, k.engine, k.model, k.prompt_hash, k.taxonomy) for k in keys],
                strict=True,
            )
        ),
    )
    return {
        ReuseKey(
            r["task"], r["input_hash"], r["engine"], r["model"], r["prompt_hash"], r["taxonomy"]
        ): Reusable(r["origin"], r["output"])
        for r in rows
        if r["output"] is not None
    }


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
        found = derivations(conn, schema, [posting_id], version=version)
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
        params.append(json.dumps({"certification": cert}))
    if skill_code is not None:
        clauses.append(sql.SQL("proof_stack @> %s::jsonb"))
        params.append(json.dumps({"skill": {"code": skill_code}}))
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
