"""Put an earlier derivation version back in force: a rollback event, projected; nothing is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.context import Context
from processors.pipeline.events import rollback_event
from projections.read import pipeline as pipeline_reads
from schemas.errors import Conflict


@dataclass(frozen=True, kw_only=True)
class RolledBack:
    posting_id: str
    from_version: int
    to_version: int
    head: dict[str, Any] | None
    event_id: str


def rollback_posting(ctx: Context, posting_id: str, to: int, reason: str) -> RolledBack:
    """Raises Conflict when version `to` is already in force, LookupError for an unknown version."""
    ctx.catch_up()
    dsn = ctx.endpoints.dsn
    current = pipeline_reads.derivation(dsn, posting_id, None, ctx.schema)
    if current.version == to:
        raise Conflict(f"version {to} of {posting_id!r} is already in force")
    target = pipeline_reads.derivation(dsn, posting_id, to, ctx.schema)
    event = rollback_event(posting_id, target, current.version, reason, ctx.producer_meta)
    ctx.producer.send(event)
    ctx.producer.flush()
    ctx.catch_up()
    head = pipeline_reads.versions(dsn, posting_id, ctx.schema)["head"]
    return RolledBack(
        posting_id=posting_id,
        from_version=current.version,
        to_version=to,
        head=head,
        event_id=str(event.meta.event_id),
    )
