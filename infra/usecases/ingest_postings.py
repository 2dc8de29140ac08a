"""The ingest use case: file bytes in, events on the log, projection caught up."""

from __future__ import annotations

from collections.abc import Callable

from infra.context import Context
from infra.usecases.emit import Phase, emit_and_project, quiet_phase
from processors.intake.changes import IngestPlan, plan
from processors.intake.records import read_records
from projections.read import postings as queries
from schemas.models import PostingEvent, now_utc


def ingest_postings(
    ctx: Context,
    name: str,
    data: bytes,
    on_phase: Phase | None = None,
    on_event: Callable[[], None] | None = None,
) -> IngestPlan[PostingEvent]:
    phase = on_phase or quiet_phase
    phase("catching up", None)
    # Change detection needs the projection to reflect the whole log first.
    ctx.catch_up()
    known = queries.known_postings(ctx.endpoints.dsn, schema=ctx.schema)
    phase("validating", None)
    result = plan(read_records(name, data), known, ctx.producer_meta, now_utc(), source_file=name)
    emit_and_project(ctx, result.events, phase, on_event)
    return result
