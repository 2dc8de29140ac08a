"""QA findings, reviews and remediations as decision events (step `qa`) on the `decisions` topic.

A finding is the sampler's decision about an output (which dimension, how severe); a review is
a person's decision about the finding; a remediation records the reprocess command it emitted.
Each points at what it read through `input_event_ids`, so lineage reaches the sampled output.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any, Literal

from processors.pipeline.events import reprocess_command
from processors.quality.sampling import SAMPLER, Finding, short_id
from schemas.models import CommandEvent, DecisionEvent, Producer, deterministic_id, event_meta

QA = Producer(component="qa", version="1")
STEP = "qa"
REVIEW_VERDICTS: tuple[str, ...] = ("ok", "issue")
ReviewVerdict = Literal["ok", "issue"]
# Where a remediation starts: the step whose output was sampled.
REMEDIATION_STEP = {"summary": "extract_summary", "requirements": "extract_requirements", "lily": "lily"}


def _sha(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _decision(
    event_id: uuid.UUID, finding: Finding, task: str, engine: str, model: str, output: dict[str, Any],
    inputs: list[str], causation: str | None, producer: Producer, flags: list[str] | None = None,
) -> DecisionEvent:  # fmt: skip
    return DecisionEvent(
        meta=event_meta(
            f"decision.{task}",
            producer,
            event_id=event_id,
            causation_id=causation,
            correlation_id=finding.posting_id,
        ),
        subject_id=finding.posting_id,
        step=STEP,
        engine=engine,
        model=model,
        prompt_version=f"{task}-1",
        prompt_hash=_sha({"task": task, "model": model}),
        input_hash=_sha(inputs),
        input_event_ids=inputs,
        output=json.dumps(output, ensure_ascii=False, sort_keys=True),
        status="ok",
        task=task,
        flags=flags or [],
    )


def finding_event(finding: Finding, producer: Producer = QA) -> DecisionEvent:
    """The finding's event id is its finding id: sampling it again yields the same event."""
    inputs = [finding.ref_id] + ([finding.other_ref_id] if finding.other_ref_id else [])
    output = {**finding.model_dump(mode="json"), "short_id": short_id(finding.finding_id)}
    return _decision(uuid.UUID(finding.finding_id), finding, "qa.sample", "rules", SAMPLER, output, inputs,
                     finding.ref_id, producer, [finding.severity, finding.dimension])  # fmt: skip


def review_event(
    finding: Finding, finding_event_id: str, verdict: str, note: str, reviewer: str, producer: Producer = QA
) -> DecisionEvent:
    if verdict not in REVIEW_VERDICTS:
        raise ValueError(f"verdict {verdict!r} is not one of {', '.join(REVIEW_VERDICTS)}")
    if not note.strip():
        raise ValueError("a review needs a note saying what was seen")
    output = {
        "finding_id": finding.finding_id,
        "verdict": verdict,
        "note": note.strip(),
        "reviewer": reviewer,
    }
    return _decision(uuid.uuid4(), finding, "qa.review", "human", reviewer or "unknown", output,
                     [finding_event_id], finding_event_id, producer, [verdict])  # fmt: skip


def remediation(
    finding: Finding, finding_event_id: str, requested_by: str, producer: Producer = QA
) -> tuple[CommandEvent, DecisionEvent]:
    """The reprocess command from the step that produced the sampled output, and its record."""
    step = REMEDIATION_STEP.get(finding.target)
    if step is None:
        raise ValueError(
            f"a {finding.target} finding has no pipeline step to rerun; rescore by reprocessing its posting"
        )
    reason = f"QA finding #{short_id(finding.finding_id)}"
    command = reprocess_command(
        finding.posting_id, start_step=step, overrides={}, reason=reason, requested_by=requested_by,
        priority=0, producer=producer, causation_id=finding_event_id,
    )  # fmt: skip
    output = {"finding_id": finding.finding_id, "command_event_id": str(command.meta.event_id), "step": step,
              "reason": reason}  # fmt: skip
    record = _decision(deterministic_id("qa-remediation", command.meta.event_id), finding, "qa.remediate",
                       "human", requested_by or "unknown", output, [finding_event_id], finding_event_id,
                       producer)  # fmt: skip
    return command, record
