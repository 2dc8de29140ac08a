"""What the pipeline reads before a batch: postings, derivations in force, reusable decisions."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from processors.pipeline.executor import Reusable, ReuseKey
from processors.pipeline.work import PostingState, PriorDerivation
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
