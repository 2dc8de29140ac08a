"""Feedback on a match: a person's verdict, tied to the pair's current match and its jury, emitted.

The CLI (`turing feedback add`) and the API (`POST /feedback`) both give feedback through
`give_feedback`; what each checks first (the CLI nothing, the API the token's reach) stays theirs.
"""

from __future__ import annotations

from typing import Any

from infra.context import Context
from processors.quality.feedback import feedback_event
from projections import db
from projections.read import quality as quality_reads
from schemas.errors import NotFound
from schemas.models import FeedbackEvent, Producer
from streams.producer import EventProducer


def give_feedback(
    dsn: str,
    schema: str,
    sink: EventProducer,
    producer: Producer,
    *,
    profile_id: str,
    posting_id: str,
    verdict: str,
    reason: str,
    component: str | None,
    author: str,
) -> FeedbackEvent:
    """Emit feedback on the pair's projected match; NotFound when the pair has no match."""
    with db.connect(dsn) as conn:
        match = quality_reads.match_event(conn, schema, profile_id, posting_id)
        if match is None:
            raise NotFound(f"no match for profile {profile_id!r} and posting {posting_id!r}")
        jury = quality_reads.jury_of(conn, schema, str(match.meta.event_id))
    event = feedback_event(
        profile_id=profile_id, posting_id=posting_id, match_event_id=str(match.meta.event_id),
        versions=(match.profile_version, match.derivation_version), verdict=verdict, reason=reason,
        component=component, decision_ids=[str(d["event_id"]) for d in (jury or {}).get("decisions", [])],
        author=author, producer=producer,
    )  # fmt: skip
    sink.send(event)
    sink.flush()
    return event


def record_feedback(
    ctx: Context,
    *,
    profile_id: str,
    posting_id: str,
    verdict: str,
    reason: str,
    component: str | None,
    author: str,
) -> dict[str, Any]:
    """Feedback on the log's latest match (caught up first), returned once it is projected."""
    ctx.catch_up()
    event = give_feedback(
        ctx.endpoints.dsn, ctx.schema, ctx.producer, ctx.producer_meta, profile_id=profile_id,
        posting_id=posting_id, verdict=verdict, reason=reason, component=component, author=author,
    )  # fmt: skip
    ctx.catch_up()
    return shown(event)


def shown(e: FeedbackEvent) -> dict[str, Any]:
    """The feedback as both front ends answer it."""
    return {
        "event_id": str(e.meta.event_id), "profile_id": e.profile_id, "posting_id": e.posting_id,
        "match_event_id": e.match_event_id, "profile_version": e.profile_version,
        "derivation_version": e.derivation_version, "verdict": e.verdict, "reason": e.reason,
        "category": e.category, "component": e.component, "classifier": e.classifier,
        "decision_ids": e.decision_ids, "author": e.author, "given_at": e.meta.occurred_at,
    }  # fmt: skip
