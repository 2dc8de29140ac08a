"""Fold the quality loop's events: Helen's decisions into `jury_verdicts`, feedback into
`feedback`, and QA decisions (sample, review, remediate) into `qa_findings`.

Decisions of one subject share a partition, so a finding is applied before its review.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from schemas.models import DecisionEvent, Event, FeedbackEvent

_JURY = (
    "INSERT INTO jury_verdicts (match_event_id, profile_id, helen_decision_id, oscar_decision_id, "
    "rita_decision_id, verdict, reasons, addresses, engine, decided_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
    "ON CONFLICT (match_event_id) DO UPDATE SET helen_decision_id = EXCLUDED.helen_decision_id, "
    "oscar_decision_id = EXCLUDED.oscar_decision_id, rita_decision_id = EXCLUDED.rita_decision_id, "
    "verdict = EXCLUDED.verdict, reasons = EXCLUDED.reasons, addresses = EXCLUDED.addresses, "
    "engine = EXCLUDED.engine, decided_at = EXCLUDED.decided_at"
)
_FEEDBACK = (
    "INSERT INTO feedback (event_id, profile_id, posting_id, match_event_id, profile_version, derivation_version, "
    "verdict, reason, category, component, classifier, decision_ids, author, given_at) VALUES "
    "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING"
)
_FINDING = (
    "INSERT INTO qa_findings (finding_id, short_id, target, dimension, severity, ref_id, other_ref_id, similarity, "
    "value, subject_id, posting_id, step, note, sampler, status, found_at) VALUES "
    "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'open',%s) ON CONFLICT DO NOTHING"
)
_REVIEW = (
    "UPDATE qa_findings SET status = %s, review = %s, review_note = %s, reviewer = %s, reviewed_at = %s "
    "WHERE finding_id = %s"
)
_REMEDIATE = (
    "UPDATE qa_findings SET status = 'remediated', remediation_command_id = %s, remediated_at = %s "
    "WHERE finding_id = %s"
)


def _jury_row(d: DecisionEvent) -> tuple[Any, ...]:
    out = json.loads(d.output)
    inputs = [*d.input_event_ids, None, None, None]
    return (
        inputs[0], d.subject_id, d.meta.event_id, inputs[1], inputs[2], out["verdict"], Jsonb(out["reasons"]),
        Jsonb(out.get("addresses") or []), f"{d.engine}:{d.model}", d.meta.occurred_at,
    )  # fmt: skip


def _finding_row(d: DecisionEvent) -> tuple[Any, ...]:
    f = json.loads(d.output)
    return (
        f["finding_id"], f["short_id"], f["target"], f["dimension"], f["severity"], f["ref_id"],
        f.get("other_ref_id"), f.get("similarity"), f["value"], f["subject_id"], f["posting_id"], f["step"],
        f["note"], d.model, d.meta.occurred_at,
    )  # fmt: skip


def apply_quality(conn: psycopg.Connection[Any], events: list[Event]) -> None:
    with conn.cursor() as cur:
        for e in events:
            if isinstance(e, FeedbackEvent):
                cur.execute(
                    _FEEDBACK,
                    (
                        e.meta.event_id, e.profile_id, e.posting_id, e.match_event_id, e.profile_version,
                        e.derivation_version, e.verdict, e.reason, e.category or "other", e.component,
                        e.classifier, e.decision_ids, e.author, e.meta.occurred_at,
                    ),
                )  # fmt: skip
            elif isinstance(e, DecisionEvent) and e.status in ("ok", "reused") and e.output:
                if e.step == "jury" and e.task == "jury_helen":
                    cur.execute(_JURY, _jury_row(e))
                elif e.step == "qa" and e.task == "qa.sample":
                    cur.execute(_FINDING, _finding_row(e))
                elif e.step == "qa" and e.task == "qa.review":
                    out = json.loads(e.output)
                    cur.execute(_REVIEW, (out["verdict"], out["verdict"], out["note"], out.get("reviewer"), e.meta.occurred_at,
                                          out["finding_id"]))  # fmt: skip
                elif e.step == "qa" and e.task == "qa.remediate":
                    out = json.loads(e.output)
                    cur.execute(_REMEDIATE, (out["command_event_id"], e.meta.occurred_at, out["finding_id"]))
