"""Builders for the events a run emits. Ids derive from the command, so a redelivered
command re-emits the very same events and projections apply them once."""

from __future__ import annotations

import json
import uuid
from typing import Any

from processors.pipeline.payload import requirement_lines, typed_fields
from processors.pipeline.work import PriorDerivation, RunWork
from schemas import payloads
from schemas.models import (
    CommandEvent,
    DecisionEvent,
    DerivationEvent,
    Meta,
    PostingEvent,
    Producer,
    RunEvent,
    deterministic_id,
    event_meta,
)

PIPELINE = Producer(component="pipeline", version="1")
ORCHESTRATOR = Producer(component="orchestrator", version="1")


def run_id_for(command: CommandEvent) -> str:
    return str(deterministic_id("run", command.meta.event_id))


def derivation_id_for(command: CommandEvent) -> uuid.UUID:
    """The id of the derivation a command's run emits: how a redelivery finds its first emission."""
    return deterministic_id("derivation", command.meta.event_id)


def _meta(w: RunWork, event_type: str, event_id: uuid.UUID) -> Meta:
    return event_meta(
        event_type,
        PIPELINE,
        event_id=event_id,
        causation_id=str(w.input.command.meta.event_id),
        correlation_id=w.posting_id,
        run_id=w.run_id,
    )


def run_event(w: RunWork, status: str, derivation_version: int | None = None) -> RunEvent:
    cmd = w.input.command
    return RunEvent.model_validate(
        {
            "meta": _meta(w, f"run.{status}", deterministic_id("run", cmd.meta.event_id, status)),
            "run_id": w.run_id,
            "posting_id": cmd.posting_id,
            "status": status,
            "reason": cmd.reason,
            "trigger": "orchestrator" if cmd.requested_by == "orchestrator" else "reprocess",
            "start_step": w.start_step,
            "model_config": w.engines,
            "error": w.failed if status == "failed" else None,
            "requested_by": cmd.requested_by,
            "priority": cmd.priority,
            "derivation_version": derivation_version,
            "failed_step": w.failed_step if status == "failed" else None,
        }
    )


def decision_event(
    w: RunWork,
    *,
    step: str,
    task: str,
    role: str,
    item_index: int | None,
    attempt: int,
    spec: tuple[str, str],
    prompt: tuple[str, str],
    input_hash: str,
    input_event_ids: list[str],
    output: dict[str, Any] | None,
    status: str,
    latency_ms: float = 0.0,
    tokens: tuple[int, int] = (0, 0),
    reused: str | None = None,
    error: str | None = None,
    flags: list[str] | None = None,
    taxonomy: str | None = None,
) -> DecisionEvent:
    cmd_id = w.input.command.meta.event_id
    return DecisionEvent(
        meta=_meta(
            w, f"decision.{status}", deterministic_id("decision", cmd_id, task, role, item_index, attempt)
        ),
        subject_id=w.posting_id,
        step=step,
        engine=spec[0],
        model=spec[1],
        prompt_version=prompt[0],
        prompt_hash=prompt[1],
        input_hash=input_hash,
        input_event_ids=input_event_ids,
        output=json.dumps(output, ensure_ascii=False, sort_keys=True) if output is not None else "",
        status=status,
        latency_ms=round(latency_ms, 3),
        tokens_in=tokens[0],
        tokens_out=tokens[1],
        reused_decision_id=reused,
        error=error[:4000] if error else None,
        task=task if role == "primary" else f"{task}.{role}",
        item_index=item_index,
        flags=flags or [],
        attempts=attempt,
        taxonomy=taxonomy,
    )


def derivation_event(w: RunWork, version: int) -> DerivationEvent:
    lines = requirement_lines(w.decompositions, w.lily_decisions)
    return DerivationEvent(
        meta=_meta(w, "derivation.created", derivation_id_for(w.input.command)),
        posting_id=w.posting_id,
        version=version,
        posting_event_id=w.posting.event_id,
        decision_ids=[str(d.meta.event_id) for d in w.decisions if d.status in ("ok", "reused")],
        summary=w.summary,
        culture_text=w.culture_text,
        ihl_score=w.verdict.ihl_score if w.verdict else None,
        red_flag_category=w.verdict.category if w.verdict else None,
        ghost_score=w.ghost.ghost_score if w.ghost else None,
        responsibilities=w.responsibilities,
        engine_config=w.engines,
        reason=w.input.command.reason,
        **typed_fields(lines, w.skills, w.findings),
    )


def rollback_event(
    posting_id: str, target: PriorDerivation, current_version: int, reason: str, producer: Producer
) -> DerivationEvent:
    """A rollback is a new event restating the target version's content; history is untouched."""
    lines = [payloads.RequirementLine.model_validate(r) for r in target.requirements]
    return DerivationEvent(
        meta=event_meta(
            "derivation.rolled_back",
            producer,
            event_id=deterministic_id("rollback", posting_id, current_version, target.version, reason),
            causation_id=target.event_id,
            correlation_id=posting_id,
        ),
        posting_id=posting_id,
        version=target.version,
        posting_event_id=target.posting_event_id,
        decision_ids=target.decision_ids,
        summary=target.summary,
        culture_text=target.culture_text,
        ihl_score=target.ihl_score,
        red_flag_category=target.red_flag_category,
        ghost_score=target.ghost_score,
        responsibilities=target.responsibilities,
        rolled_back_from=current_version,
        reason=reason,
        **typed_fields(lines, target.mapped_skills, target.findings),
    )


def command_for_posting(event: PostingEvent) -> CommandEvent | None:
    """Orchestration: a new or changed posting becomes a command to run the whole pipeline."""
    if event.meta.event_type not in ("posting.observed", "posting.changed"):
        return None
    changed = f" ({', '.join(event.changed_fields)})" if event.changed_fields else ""
    reason = "new posting" if event.meta.event_type == "posting.observed" else f"posting changed{changed}"
    return CommandEvent(
        meta=event_meta(
            "command.process",
            ORCHESTRATOR,
            event_id=deterministic_id("command", event.meta.event_id),
            occurred_at=event.meta.occurred_at,
            causation_id=str(event.meta.event_id),
            correlation_id=event.posting_id,
        ),
        posting_id=event.posting_id,
        start_step="extract_summary",
        reason=reason,
        requested_by="orchestrator",
    )


def reprocess_command(
    posting_id: str,
    *,
    start_step: str,
    overrides: dict[str, str],
    reason: str,
    requested_by: str,
    priority: int,
    producer: Producer,
    causation_id: str | None = None,
) -> CommandEvent:
    """A person's request: a fresh id every time (asking twice means running twice)."""
    return CommandEvent(
        meta=event_meta("command.reprocess", producer, causation_id=causation_id, correlation_id=posting_id),
        posting_id=posting_id,
        start_step=start_step,
        model_overrides=overrides,
        reason=reason,
        requested_by=requested_by,
        priority=priority,
    )
