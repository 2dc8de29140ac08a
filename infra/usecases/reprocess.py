"""Reprocess postings from a step, with optional model overrides, and wait for their runs.

A request is checked before any service is contacted (`reprocess_request`), so a front end can
refuse a bad one at once; `reprocess` emits one command per posting and `wait_for_runs` follows
the runs in the projection.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from infra.context import Context
from processors.pipeline.events import reprocess_command, run_id_for
from processors.pipeline.steps import check_request, parse_overrides
from projections.read import pipeline as pipeline_reads
from schemas.errors import BadInput, NotFound

FINISHED = ("completed", "failed")
# A worker that has not started a single run by then is probably not running at all.
QUIET_S = 30.0


@dataclass(frozen=True, kw_only=True)
class ReprocessRequest:
    step: str
    models: dict[str, str]
    reason: str
    priority: int = 0
    # Exactly one way to choose the postings: ids, filters, or every open posting.
    posting_ids: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    every_open: bool = False


@dataclass(frozen=True, kw_only=True)
class Reprocessed:
    commands: int
    run_ids: list[str]
    step: str
    models: dict[str, str]
    runs: dict[str, str] = field(default_factory=dict)


def reprocess_request(
    *,
    step: str,
    models: Sequence[str],
    reason: str,
    priority: int = 0,
    posting_ids: Sequence[str] = (),
    where: Sequence[str] = (),
    every_open: bool = False,
) -> ReprocessRequest:
    """A checked request; BadInput says what is wrong (model specs, reason, priority, selection)."""
    try:
        overrides = parse_overrides(list(models))
        check_request(priority=priority, reason=reason)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if sum(bool(x) for x in (posting_ids, where, every_open)) != 1:
        raise BadInput("choose the postings with exactly one of --posting, --where or --all")
    if not reason.strip():
        raise BadInput("--reason must say why (it is recorded on every run)")
    return ReprocessRequest(
        step=step, models=overrides, reason=reason, priority=priority,
        posting_ids=tuple(dict.fromkeys(posting_ids)), where=tuple(where), every_open=every_open,
    )  # fmt: skip


def chosen_postings(ctx: Context, request: ReprocessRequest) -> list[str]:
    """The posting ids the request names; NotFound for unknown ids or an empty selection."""
    dsn = ctx.endpoints.dsn
    if request.posting_ids:
        known = set(pipeline_reads.postings_where(dsn, [], ctx.schema))
        missing = [p for p in request.posting_ids if p not in known]
        if missing:
            raise NotFound(f"unknown posting ids: {', '.join(missing)} — see `turing postings list`")
        ids = list(request.posting_ids)
    else:
        ids = pipeline_reads.postings_where(dsn, list(request.where) or ["status=open"], ctx.schema)
    if not ids:
        raise NotFound("no posting matches; nothing to reprocess")
    return ids


def reprocess(ctx: Context, request: ReprocessRequest, requested_by: str) -> Reprocessed:
    """Emit one reprocess command per chosen posting (after catching up, so the choice is current)."""
    ctx.catch_up()
    commands = [
        reprocess_command(
            pid, start_step=request.step, overrides=request.models, reason=request.reason,
            requested_by=requested_by, priority=request.priority, producer=ctx.producer_meta,
        )
        for pid in chosen_postings(ctx, request)
    ]  # fmt: skip
    for c in commands:
        ctx.producer.send(c)
    ctx.producer.flush()
    return Reprocessed(
        commands=len(commands),
        run_ids=[run_id_for(c) for c in commands],
        step=request.step,
        models=request.models,
    )


def wait_for_runs(
    ctx: Context,
    run_ids: Sequence[str],
    timeout: float,
    on_progress: Callable[[int, int], None] | None = None,
    on_quiet: Callable[[], None] | None = None,
) -> dict[str, str]:
    """Each run's final status, once all have finished; TimeoutError if they do not in `timeout` s.

    `on_progress(done, total)` follows them; `on_quiet()` is called once if no run has started
    after QUIET_S seconds (no worker?). Each round catches the projection up, which waits for
    an idle poll, so the loop never spins.
    """
    started = time.monotonic()
    deadline, warned = started + timeout, False
    statuses: dict[str, str] = {}
    while time.monotonic() < deadline:
        ctx.catch_up()
        statuses = pipeline_reads.run_statuses(ctx.endpoints.dsn, list(run_ids), ctx.schema)
        done = sum(1 for s in statuses.values() if s in FINISHED)
        if on_progress:
            on_progress(done, len(run_ids))
        if done == len(run_ids):
            return statuses
        if not statuses and not warned and time.monotonic() - started > QUIET_S:
            warned = True
            if on_quiet:
                on_quiet()
    missing = [r for r in run_ids if statuses.get(r) not in FINISHED]
    if len(run_ids) == 1:
        raise TimeoutError(f"run {run_ids[0]} unfinished after {timeout:.0f}s; `turing runs` shows it")
    raise TimeoutError(f"{len(missing)} run(s) unfinished after {timeout:.0f}s; `turing runs` shows them")
