"""Lineage of derived fields: `summary`, `ghost_score`, `requirements[3].certification`, ...

The chain an auditor gets: the field's value in the derivation in force, the decision that
produced it (model, prompt version and hash, input hash), the decision it reused if any,
its run (reason, trigger, who asked), the derivation event, and the causes down to the
posting event the run read.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql

from processors.lily.model import ProofStack
from projections import db
from projections.jsonable import jsonable
from projections.lineage.events import TraceError, audit_event, causes_of
from projections.read import pipeline as pipeline_queries

# derived field -> the tasks whose decision sets it (the last successful one wins)
FIELD_TASKS: dict[str, tuple[str, ...]] = {
    "summary": ("improve_summary", "extract_summary"),
    "culture_text": ("extract_requirements",),
    "responsibilities": ("extract_requirements",),
    "skills": ("map_skills",),
    "ihl_score": ("red_flags_verdict",),
    "red_flag_category": ("red_flags_verdict",),
    "ghost_score": ("ghost_score",),
}
LAYERS = tuple(ProofStack.model_fields)
_REQ = re.compile(r"^requirements\[(\d+)\](?:\.([a-z_]+))?$")
DERIVED_HELP = ", ".join([*FIELD_TASKS, "requirements[N]", "requirements[N].LAYER"])


def is_derived(field: str) -> bool:
    return field in FIELD_TASKS or _REQ.match(field) is not None


def _decision(conn: psycopg.Connection[Any], schema: str, event_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        sql.SQL("SELECT * FROM {}.decisions WHERE event_id = %s::uuid").format(sql.Identifier(schema)),
        (event_id,),
    ).fetchone()
    return jsonable(dict(row)) if row else None


def trace_derived(dsn: str, posting_id: str, field: str, schema: str) -> dict[str, Any]:
    with db.connect(dsn) as conn:
        found = pipeline_queries.derivations(conn, schema, [posting_id])
        if posting_id not in found:
            raise TraceError(f"posting {posting_id!r} has no derivation yet (has the pipeline run?)")
        d = found[posting_id]
        value, decision_id = _value_and_decision(conn, schema, d, field)
        decision = _decision(conn, schema, decision_id) if decision_id else None
        if decision is None or decision_id is None:
            raise TraceError(f"no decision recorded for {field!r} of {posting_id!r} (version {d.version})")
        head = audit_event(conn, schema, decision_id)
        if head is None:
            raise TraceError(f"decision {decision_id} is missing from the audit log: rebuild the projections")
        related: list[dict[str, Any]] = []
        reused = None
        if decision.get("reused_decision_id"):
            reused = _decision(conn, schema, decision["reused_decision_id"])
            ev = audit_event(conn, schema, decision["reused_decision_id"])
            if ev:
                related.append({**ev, "role": "reused decision"})
        run = None
        if decision.get("run_id"):
            row = conn.execute(
                sql.SQL("SELECT * FROM {}.runs WHERE run_id = %s::uuid").format(sql.Identifier(schema)),
                (decision["run_id"],),
            ).fetchone()
            run = jsonable(dict(row)) if row else None
            for r in conn.execute(
                sql.SQL("SELECT event_id FROM {}.audit_log WHERE topic = 'runs' AND run_id = %s").format(
                    sql.Identifier(schema)
                ),
                (decision["run_id"],),
            ):
                ev = audit_event(conn, schema, str(r["event_id"]))
                if ev:
                    related.append({**ev, "role": "run"})
        derivation_event = audit_event(conn, schema, d.event_id)
        if derivation_event:
            related.append({**derivation_event, "role": "derivation"})
        for input_id in decision.get("input_event_ids") or []:
            ev = audit_event(conn, schema, input_id)
            if ev and ev["event_id"] not in {r["event_id"] for r in related}:
                related.append({**ev, "role": "input"})
        causes = causes_of(conn, schema, head)
    return {
        "entity": "posting",
        "id": posting_id,
        "field": field,
        "derivation_version": d.version,
        "value": value,
        "decision": {
            k: decision.get(k)
            for k in (
                "step",
                "task",
                "engine",
                "model",
                "prompt_version",
                "prompt_hash",
                "input_hash",
                "status",
                "latency_ms",
                "tokens_in",
                "tokens_out",
                "attempts",
                "flags",
                "error",
                "reused_decision_id",
                "taxonomy",
            )
        },
        "reused": reused
        and {k: reused.get(k) for k in ("event_id", "run_id", "engine", "model", "occurred_at")},
        "run": run
        and {k: run.get(k) for k in ("run_id", "status", "reason", "trigger", "requested_by", "start_step")},
        "event": head,
        "causes": causes,
        "related": related,
        "verified": None,
    }


def _value_and_decision(
    conn: psycopg.Connection[Any], schema: str, d: Any, field: str
) -> tuple[Any, str | None]:
    m = _REQ.match(field)
    if m:
        i, layer = int(m.group(1)), m.group(2)
        if i >= len(d.requirements):
            raise TraceError(
                f"posting has {len(d.requirements)} requirements (indexes 0..{len(d.requirements) - 1})"
            )
        req = d.requirements[i]
        if layer is None:
            return {"text": req["text"], "proof_stacks": req["proof_stacks"]}, req.get("decision_id")
        if layer not in LAYERS:
            raise TraceError(f"{layer!r} is not a proof-stack layer; layers: {', '.join(LAYERS)}")
        values = [s.get(layer) for s in req["proof_stacks"]]
        return (values[0] if len(values) == 1 else values), req.get("decision_id")
    value = getattr(d, field)
    tasks = FIELD_TASKS[field]
    rows = conn.execute(
        sql.SQL(
            "SELECT event_id, task FROM {}.decisions WHERE event_id = ANY(%s::uuid[]) AND task = ANY(%s) "
            "AND status IN ('ok', 'reused') ORDER BY array_position(%s::text[], task), occurred_at DESC"
        ).format(sql.Identifier(schema)),
        (d.decision_ids, list(tasks), list(tasks)),
    ).fetchall()
    return jsonable(value), (str(rows[0]["event_id"]) if rows else None)
