"""The ingest use case: file bytes in, events on the log, projection caught up."""

from __future__ import annotations

from collections.abc import Callable

from infra.context import Context
from processors.intake.changes import IngestPlan, plan
from processors.intake.records import read_records
from projections.read import postings as queries
from schemas.models import PostingEvent, now_utc
from streams.producer import targets_of


def ingest_postings(
    ctx: Context,
    name: str,
    data: bytes,
    on_phase: Callable[[str, int | None], None] | None = None,
    on_event: Callable[[], None] | None = None,
) -> IngestPlan[PostingEvent]:
    phase = on_phase or (lambda _name, _total: None)
    phase("catching up", None)
    # Change detection needs the projection to reflect the whole log first.
    ctx.catch_up()
    known = queries.known_postings(ctx.endpoints.dsn, schema=ctx.schema)
    phase("validating", None)
    result = plan(read_records(name, data), known, ctx.producer_meta, now_utc(), source_file=name)
    phase("emitting", len(result.events))
    for event in result.events:
        ctx.producer.send(event)
        if on_event:
            on_event()
    deliveries = ctx.producer.flush()
    phase("projecting", None)
    ctx.catch_up(targets_of(deliveries))
    return result
