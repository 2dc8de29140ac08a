"""A batch redelivered after a crash at each point re-emits nothing new and nothing different.

The service is driven in-process against a real broker and Postgres: "before produce",
"mid-produce" and "after produce, before commit" are a producer that fails after K sends
and a second service instance (a restarted worker) handling the very same commands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infra.context import Context
from infra.engines import engine_cache
from infra.service_ports import pipeline_ports
from infra.usecases.ingest_postings import ingest_postings
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import command_for_posting, reprocess_command, run_id_for
from processors.services.pipeline import PipelineService
from processors.taxonomy import store
from schemas.models import CommandEvent, Event, PostingEvent, Producer
from streams.event_sink import KafkaEventSink
from streams.producer import DeliveryFailed, EventProducer
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import CatchUpBarrier, assert_same_bytes_per_id, rows

pytestmark = pytest.mark.stack
DERIVED = ("runs", "decisions", "derivations")


class CrashingProducer(EventProducer):
    """Sends `survive` records, then fails like a process dying mid-produce."""

    def __init__(self, bootstrap: str, codec: Any, survive: int):
        super().__init__(bootstrap, codec, client_id="tests-crashing")
        self.left = survive

    def send(self, event: Event) -> None:
        if self.left <= 0:
            super().flush()  # what was sent before the "crash" may well have landed
            raise DeliveryFailed("the worker died mid-produce")
        self.left -= 1
        super().send(event)


@pytest.fixture(scope="module")
def setup(module_stack) -> Iterator[tuple[Context, list[CommandEvent]]]:  # type: ignore[no-untyped-def]
    ctx = Context(module_stack[1], component="tests")
    try:
        plan = ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        commands = [c for e in plan.events if isinstance(e, PostingEvent) and (c := command_for_posting(e))]
        ctx.catch_up()
        yield ctx, commands
    finally:
        ctx.close()


def _service(ctx: Context, producer: EventProducer | None = None) -> PipelineService:
    producer = producer or EventProducer(
        ctx.endpoints.bootstrap_servers, ctx.codec, client_id="tests-pipeline"
    )
    return PipelineService(
        pipeline_ports(ctx, KafkaEventSink(producer), CatchUpBarrier(ctx)),
        PipelineConfig(),
        engines=engine_cache(None, store.builtin()),
    )


def _same_bytes_per_id(ctx: Context) -> dict[str, list[bytes]]:
    return assert_same_bytes_per_id(ctx, DERIVED)


def _one_completed_run_each(ctx: Context, commands: list[CommandEvent], version: int) -> None:
    ctx.catch_up()
    runs = rows(ctx, "SELECT run_id::text AS run_id, status, derivation_version FROM proj.runs "
                "WHERE run_id = ANY(%s::uuid[])", [run_id_for(c) for c in commands])  # fmt: skip
    assert len(runs) == len(commands)
    assert {(r["status"], r["derivation_version"]) for r in runs} == {("completed", version)}


def test_after_produce_before_commit_a_restarted_worker_emits_nothing_again(setup) -> None:
    ctx, commands = setup
    batch = commands[:12]
    first = _service(ctx).handle_commands(batch)
    emitted = sum(len(r.events) for r in first)
    again = _service(ctx)  # a restarted worker: fresh state, the same uncommitted batch
    second = again.handle_commands(batch)
    assert again.skipped == emitted == sum(len(r.events) for r in second)
    log = _same_bytes_per_id(ctx)
    assert all(len(log[str(e.meta.event_id)]) == 1 for r in first for e in r.events)
    _one_completed_run_each(ctx, batch, 1)
    print(
        f"\nafter-produce redelivery: {len(batch)} commands, {emitted} events, {again.skipped} not re-emitted"
    )


@pytest.mark.parametrize("survive", [0, 9])
def test_a_crash_before_or_mid_produce_then_redelivery_completes_each_run_once(setup, survive: int) -> None:
    ctx, commands = setup
    batch = commands[12:24] if survive == 0 else commands[24:36]
    crashing = _service(ctx, CrashingProducer(ctx.endpoints.bootstrap_servers, ctx.codec, survive))
    with pytest.raises(DeliveryFailed):
        crashing.handle_commands(batch)
    restarted = _service(ctx)
    results = restarted.handle_commands(batch)
    assert restarted.skipped == survive
    assert all(r.status == "completed" for r in results)
    _same_bytes_per_id(ctx)
    _one_completed_run_each(ctx, batch, 1)
    heads = rows(ctx, "SELECT posting_id, count(*) AS n, max(version) AS v FROM proj.derivations "
                 "WHERE posting_id = ANY(%s) GROUP BY 1", [c.posting_id for c in batch])  # fmt: skip
    assert len(heads) == len(batch) and {(h["n"], h["v"]) for h in heads} == {(1, 1)}


def test_a_redelivered_reprocess_keeps_its_version_and_recomputes_the_same_events(setup) -> None:
    """Issue 14, measured item 3: the second copy said `version: 2` where the first said 1."""
    ctx, commands = setup
    _service(ctx).handle_commands(commands[:1])  # v1 in force (a no-op if an earlier test did it)
    posting_id = commands[0].posting_id
    cmd = reprocess_command(posting_id, start_step="lily", overrides={"lily": "rules:rules-broad"},
                            reason="redelivery test", requested_by="tests", priority=0,
                            producer=Producer(component="tests", version="1"))  # fmt: skip
    first = _service(ctx).handle_commands([cmd])
    ctx.catch_up()
    (head,) = rows(ctx, "SELECT max(version) AS v FROM proj.derivations WHERE posting_id = %s", posting_id)
    version = head["v"]
    # The first emission is projected now; the state a redelivery reads is still the one before it.
    service = _service(ctx)
    inputs = service.load_inputs([cmd])
    assert inputs[0].next_version == version and inputs[0].prior is not None
    assert inputs[0].prior.version == version - 1
    recomputed = service.compute([cmd])
    logged = _same_bytes_per_id(ctx)
    before = {str(e.meta.event_id): e for r in first for e in r.events}
    for event in recomputed[0].events:
        (value,) = logged[str(event.meta.event_id)]
        _, original = ctx.codec.decode(event.topic, value)
        assert _timeless(event) == _timeless(original) == _timeless(before[str(event.meta.event_id)])
    service.handle_commands([cmd])
    assert service.skipped == len(recomputed[0].events)
    _one_completed_run_each(ctx, [cmd], version)


def _timeless(event: Event) -> dict[str, Any]:
    """The event without what measures the wall clock (when, how long)."""
    data = event.model_dump(mode="json")
    data["meta"].pop("occurred_at")
    data.pop("latency_ms", None)
    return data
