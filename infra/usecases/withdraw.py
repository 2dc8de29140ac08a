"""Withdraw a posting: one `withdrawn` event on the log, projected; its history stays."""

from __future__ import annotations

from dataclasses import dataclass

from infra.context import Context
from processors.intake.changes import withdraw
from projections.read import postings as queries
from schemas.models import now_utc
from streams.producer import targets_of


@dataclass(frozen=True, kw_only=True)
class Withdrawn:
    posting_id: str
    event_id: str
    topic: str
    partition: int
    offset: int


def withdraw_posting(ctx: Context, posting_id: str, reason: str) -> Withdrawn:
    """Raises LookupError for a posting never observed, ValueError for one already withdrawn."""
    ctx.catch_up()
    known = queries.known_postings(ctx.endpoints.dsn, ctx.schema, [posting_id]).get(posting_id)
    event = withdraw(posting_id, known, reason, ctx.producer_meta, now_utc())
    ctx.producer.send(event)
    deliveries = ctx.producer.flush()
    ctx.catch_up(targets_of(deliveries))
    d = deliveries[0]
    return Withdrawn(
        posting_id=posting_id,
        event_id=str(event.meta.event_id),
        topic=d.topic,
        partition=d.partition,
        offset=d.offset,
    )
