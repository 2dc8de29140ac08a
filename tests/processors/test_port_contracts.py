"""One contract per port, run against the in-memory implementation and the real adapter
(Kafka for the sink, PostgreSQL for the event log, the projector barrier over both).

The real side runs the worker's projector thread, as the worker does, so the barrier is
tested waiting for someone else's projector, never projecting itself."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from infra.context import Context
from infra.service_ports import barrier, event_log
from infra.worker import own_projector, project_forever
from processors.memory_ports import InMemoryBarrier, InMemoryEventLog, InMemoryEventSink, MemoryLog
from processors.ports import EventLog, EventSink, ProjectionBarrier
from schemas.models import Meta, PostingContent, PostingEvent, Producer, now_utc
from streams.event_sink import KafkaEventSink
from streams.producer import EventProducer


@dataclass
class Ports:
    sink: EventSink
    log: EventLog
    barrier: ProjectionBarrier


@pytest.fixture(scope="module")
def real(module_stack: tuple[Any, Any]) -> Iterator[Ports]:
    ctx = Context(module_stack[1], component="tests")
    stop = threading.Event()
    projector = threading.Thread(
        target=project_forever, args=(own_projector(ctx, "contract"), stop), daemon=True
    )
    projector.start()
    try:
        producer = EventProducer(ctx.endpoints.bootstrap_servers, ctx.codec, client_id="tests-contract")
        yield Ports(KafkaEventSink(producer), event_log(ctx), barrier(ctx))
    finally:
        stop.set()
        projector.join(timeout=30)
        ctx.close()


@pytest.fixture(params=["memory", pytest.param("real", marks=pytest.mark.stack)])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "real":
        real: Ports = request.getfixturevalue("real")
        return real
    log = MemoryLog()
    return Ports(InMemoryEventSink(log), InMemoryEventLog(log), InMemoryBarrier(log))


def _posting() -> PostingEvent:
    pid = f"contract-{uuid.uuid4().hex[:12]}"
    meta = Meta(event_id=uuid.uuid4(), event_type="posting.observed", occurred_at=now_utc(),
                producer=Producer(component="tests", version="1"), correlation_id=pid)  # fmt: skip
    content = PostingContent(
        source="tests", title="Barista", company="Acme", location="Lisbon", description="Espresso."
    )
    return PostingEvent(
        meta=meta, posting_id=pid, version=1, content_hash=uuid.uuid4().hex * 2, content=content
    )


def test_sink_flush_reports_the_highest_offset_per_partition_of_what_it_sent(ports: Ports) -> None:
    events = [_posting() for _ in range(4)]
    for e in events:
        ports.sink.send(e)
    first = ports.sink.flush()
    assert first and {t for t, _ in first} == {"postings"}
    ports.sink.send(_posting())
    second = ports.sink.flush()
    ((tp, offset),) = second.items()
    assert offset > first.get(tp, -1)


def test_sink_flush_with_nothing_sent_reports_nothing(ports: Ports) -> None:
    assert ports.sink.flush() == {}


def test_after_the_barrier_the_log_holds_what_was_flushed_before(ports: Ports) -> None:
    events = [_posting() for _ in range(3)]
    for e in events:
        ports.sink.send(e)
    produced = ports.sink.flush()
    ports.barrier.wait(produced)
    assert ports.barrier.reached(produced)
    ids = [str(e.meta.event_id) for e in events]
    assert ports.log.logged(ids) == set(ids)


def test_the_barrier_waits_for_the_log_so_far_not_only_what_it_is_told(ports: Ports) -> None:
    # a write the caller did not make (another process's): still projected after the wait
    other = _posting()
    ports.sink.send(other)
    ports.sink.flush()
    ports.barrier.wait({})
    assert ports.log.logged([str(other.meta.event_id)]) == {str(other.meta.event_id)}


def test_the_log_knows_nothing_of_events_never_sent(ports: Ports) -> None:
    assert ports.log.logged([]) == set()
    assert ports.log.logged([str(uuid.uuid4())]) == set()


def test_an_offset_never_produced_is_not_reached(ports: Ports) -> None:
    ports.sink.send(_posting())
    produced = ports.sink.flush()
    ports.barrier.wait(produced)
    assert not ports.barrier.reached({tp: offset + 1000 for tp, offset in produced.items()})
