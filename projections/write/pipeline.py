"""Fold runs, decisions and derivations into their tables, one batch at a time.

Called by the projector inside its transaction, after the audit log has filtered out
events it already applied; events arrive in log order per posting.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from processors.pipeline.payload import red_flags_json, requirements_json, skills_json
from schemas.models import DecisionEvent, DerivationEvent, Event, RunEvent


def apply_pipeline(conn: psycopg.Connection[Any], events: list[Event]) -> None:
    runs = [e for e in events if isinstance(e, RunEvent)]
    decisions = [e for e in events if isinstance(e, DecisionEvent)]
    derivations = [e for e in events if isinstance(e, DerivationEvent)]
    with conn.cursor() as cur:
        if decisions:
            cur.executemany(_DECISION_SQL, [_decision_row(d) for d in decisions])
        for run in runs:
            cur.execute(_RUN_SQL, _run_row(run))
        for d in derivations:
            if d.meta.event_type == "derivation.rolled_back":
                cur.execute(_HEAD_SQL, _head_row(d, d.rolled_back_from))
                continue
            cur.execute(_DERIVATION_SQL, _derivation_row(d))
            cur.executemany(_REQUIREMENT_SQL, _requirement_rows(d))
            cur.execute(_HEAD_SQL, _head_row(d, None))


_DECISION_SQL = (
    "INSERT INTO decisions (event_id, subject_id, run_id, step, task, item_index, engine, model, "
    "prompt_version, prompt_hash, input_hash, input_event_ids, output, status, latency_ms, tokens_in, "
    "tokens_out, attempts, reused_decision_id, error, flags, occurred_at, taxonomy) VALUES "
    "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING"
)


def _decision_row(d: DecisionEvent) -> tuple[Any, ...]:
    output = Jsonb(json.loads(d.output)) if d.output else None
    return (
        d.meta.event_id, d.subject_id, d.meta.run_id, d.step, d.task or d.step, d.item_index, d.engine,
        d.model, d.prompt_version, d.prompt_hash, d.input_hash, d.input_event_ids, output, d.status,
        d.latency_ms, d.tokens_in, d.tokens_out, d.attempts, d.reused_decision_id, d.error, d.flags,
        d.meta.occurred_at, d.taxonomy,
    )  # fmt: skip


_RUN_SQL = (
    "INSERT INTO runs (run_id, posting_id, status, reason, trigger, requested_by, priority, start_step, "
    "model_config, command_event_id, started_at, finished_at, error, failed_step, derivation_version, "
    "last_event_id) VALUES (%(run_id)s, %(posting_id)s, %(status)s, %(reason)s, %(trigger)s, "
    "%(requested_by)s, %(priority)s, %(start_step)s, %(model_config)s, %(command_event_id)s, %(at)s, "
    "%(finished_at)s, %(error)s, %(failed_step)s, %(derivation_version)s, %(event_id)s) "
    "ON CONFLICT (run_id) DO UPDATE SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at, "
    "error = EXCLUDED.error, failed_step = EXCLUDED.failed_step, "
    "derivation_version = EXCLUDED.derivation_version, last_event_id = EXCLUDED.last_event_id "
    "WHERE runs.status = 'started'"
)


def _run_row(r: RunEvent) -> dict[str, Any]:
    finished = r.status in ("completed", "failed")
    return {
        "run_id": r.run_id,
        "posting_id": r.posting_id,
        "status": r.status,
        "reason": r.reason,
        "trigger": r.trigger,
        "requested_by": r.requested_by,
        "priority": r.priority,
        "start_step": r.start_step,
        "model_config": Jsonb(r.model_config_),
        "command_event_id": r.meta.causation_id,
        "at": r.meta.occurred_at,
        "finished_at": r.meta.occurred_at if finished else None,
        "error": r.error,
        "failed_step": r.failed_step,
        "derivation_version": r.derivation_version,
        "event_id": r.meta.event_id,
    }


_DERIVATION_SQL = (
    "INSERT INTO derivations (posting_id, version, event_id, run_id, posting_event_id, summary, culture_text, "
    "responsibilities, skills, red_flags, ihl_score, red_flag_category, ghost_score, engine_config, "
    "decision_ids, reason, created_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
    "ON CONFLICT DO NOTHING"
)


def _derivation_row(d: DerivationEvent) -> tuple[Any, ...]:
    return (
        d.posting_id, d.version, d.meta.event_id, d.meta.run_id, d.posting_event_id, d.summary,
        d.culture_text, Jsonb(d.responsibilities), Jsonb(skills_json(d)), Jsonb(red_flags_json(d)),
        d.ihl_score, d.red_flag_category, d.ghost_score, Jsonb(d.engine_config), d.decision_ids, d.reason,
        d.meta.occurred_at,
    )  # fmt: skip


_REQUIREMENT_SQL = (
    "INSERT INTO requirements (posting_id, version, idx, alt, text, proof_stack, decision_id) "
    "VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING"
)


def _requirement_rows(d: DerivationEvent) -> list[tuple[Any, ...]]:
    rows = []
    for req in requirements_json(d):
        for alt, stack in enumerate(req.get("proof_stacks") or [{}]):
            rows.append(
                (
                    d.posting_id,
                    d.version,
                    req["index"],
                    alt,
                    req["text"],
                    Jsonb(stack),
                    req.get("decision_id"),
                )
            )
    return rows


_HEAD_SQL = (
    "INSERT INTO derivation_heads (posting_id, version, event_id, rolled_back_from, reason, updated_at) "
    "VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (posting_id) DO UPDATE SET version = EXCLUDED.version, "
    "event_id = EXCLUDED.event_id, rolled_back_from = EXCLUDED.rolled_back_from, reason = EXCLUDED.reason, "
    "updated_at = EXCLUDED.updated_at"
)


def _head_row(d: DerivationEvent, rolled_back_from: int | None) -> tuple[Any, ...]:
    return (d.posting_id, d.version, d.meta.event_id, rolled_back_from, d.reason, d.meta.occurred_at)
