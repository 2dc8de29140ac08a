"""The consumer loop on a real broker: commit after success only, retry with backoff, dead-letter
what keeps failing (and replay it), redeliver after a crash before the commit."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from confluent_kafka import Consumer, TopicPartition

from infra.context import Context
from processors.pipeline.events import reprocess_command
from schemas.models import CommandEvent, Producer
from streams.consumer_loop import ConsumerLoop, RetryPolicy
from streams.deadletters import read_letters, replay
from streams.health import HealthBoard
from streams.producer import EventProducer
from streams.quirks import consumer_config

pytestmark = pytest.mark.stack

FAST = RetryPolicy(batch_attempts=3, single_attempts=2, first_backoff_s=0.05, max_backoff_s=0.2)


@pytest.fixture(scope="module")
def ctx(module_stack) -> Iterator[Context]:  # type: ignore[no-untyped-def]
    context = Context(module_stack[1], component="tests")
    try:
        yield context
    finally:
        context.close()


def _commands(ctx: Context, tag: str, n: int) -> tuple[list[CommandEvent], dict[str, tuple[int, int]]]:
    who = Producer(component="tests", version="1")
    cmds = [
        reprocess_command(
            f"{tag}-{i}",
            start_step="lily",
            overrides={},
            reason=tag,
            requested_by="tests",
            priority=0,
            producer=who,
        )
        for i in range(n)
    ]
    for c in cmds:
        ctx.producer.send(c)
    where = {d.event_id: (d.partition, d.offset) for d in ctx.producer.flush()}
    return cmds, where


def _loop(
    ctx: Context, group: str, handler: Callable[[list[Any]], object], health: HealthBoard
) -> ConsumerLoop:
    bootstrap = ctx.endpoints.bootstrap_servers
    dead = EventProducer(bootstrap, ctx.codec, client_id="tests-deadletters")
    return ConsumerLoop("pipeline", bootstrap, group, "commands", ctx.codec, handler, CommandEvent, dead, health,
                        batch=64, within_s=0.3, policy=FAST)  # fmt: skip


def _run_until(loop: ConsumerLoop, done: Callable[[], bool], timeout: float = 90.0) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            loop.run(stop)
        except BaseException as exc:  # surfaced to the test below
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done() and thread.is_alive():
        time.sleep(0.1)
    stop.set()
    thread.join(timeout=30)
    if errors and not isinstance(errors[0], SystemExit):
        raise errors[0]
    assert done(), "the loop did not handle what was expected in time"


def _committed(ctx: Context, group: str) -> dict[int, int]:
    consumer = Consumer(consumer_config(ctx.endpoints.bootstrap_servers, group, "tests-committed"))
    try:
        parts = consumer.committed([TopicPartition("commands", p) for p in range(3)], timeout=10)
        return {tp.partition: tp.offset for tp in parts}
    finally:
        consumer.close()


def test_a_failing_handler_is_retried_and_nothing_is_committed_until_it_succeeds(ctx: Context) -> None:
    tag, group = f"retry-{uuid.uuid4().hex[:6]}", f"tests-{uuid.uuid4().hex[:8]}"
    cmds, where = _commands(ctx, tag, 20)
    handled: set[str] = set()
    failures = {"left": 2}
    committed_while_failing: list[dict[int, int]] = []

    def handler(events: list[Any]) -> None:
        mine = [e for e in events if e.reason == tag]
        if mine and failures["left"]:
            failures["left"] -= 1
            committed_while_failing.append(_committed(ctx, group))
            raise psycopg.OperationalError("terminating connection due to administrator command")
        handled.update(str(e.meta.event_id) for e in mine)

    health = HealthBoard(None)
    _run_until(_loop(ctx, group, handler, health), lambda: len(handled) == len(cmds))
    assert handled == {str(c.meta.event_id) for c in cmds}
    # While the batch failed, the group's offsets stayed where they were (before our records).
    for snapshot in committed_while_failing:
        for partition, offset in where.values():
            assert snapshot.get(partition, -1) <= offset
    after = _committed(ctx, group)
    assert all(after[p] > off for p, off in where.values())
    state = health.snapshot()["consumers"][0]
    assert state["retries"] >= 2 and "OperationalError" in state["last_error"] and state["dead_letters"] == 0


def test_a_record_that_keeps_failing_is_dead_lettered_then_replayed(ctx: Context) -> None:
    tag, group = f"poison-{uuid.uuid4().hex[:6]}", f"tests-{uuid.uuid4().hex[:8]}"
    cmds, where = _commands(ctx, tag, 12)
    poison = cmds[5]
    handled: set[str] = set()

    def handler(events: list[Any]) -> None:
        if any(e.meta.event_id == poison.meta.event_id for e in events):
            raise ValueError("numeric value out of range")
        handled.update(str(e.meta.event_id) for e in events if e.reason == tag)

    health = HealthBoard(None)
    _run_until(_loop(ctx, group, handler, health), lambda: len(handled) == len(cmds) - 1)
    assert str(poison.meta.event_id) not in handled
    letters = [
        x for x in read_letters(ctx.endpoints.bootstrap_servers, ctx.codec) if x.key == poison.posting_id
    ]
    assert len(letters) == 1
    letter = letters[0]
    partition, offset = where[str(poison.meta.event_id)]
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == (
        "commands",
        partition,
        offset,
    )
    assert letter.attempts == FAST.batch_attempts + FAST.single_attempts
    assert (
        "numeric value out of range" in letter.error and letter.replayable and letter.processor == "pipeline"
    )
    assert health.snapshot()["consumers"][0]["dead_letters"] == 1
    assert all(_committed(ctx, group)[p] > off for p, off in where.values())

    # Given up on again (as after a crash between the dead letter and the commit): still one letter.
    again = HealthBoard(None)
    handled.clear()
    _run_until(_loop(ctx, f"tests-{uuid.uuid4().hex[:8]}", handler, again),
               lambda: again.snapshot()["consumers"][0]["dead_letters"] == 1 and len(handled) == len(cmds) - 1)  # fmt: skip
    relisted = [
        x for x in read_letters(ctx.endpoints.bootstrap_servers, ctx.codec) if x.key == poison.posting_id
    ]
    assert len(relisted) == 1 and relisted[0].event_id != letter.event_id
    assert relisted[0].occurred_at >= letter.occurred_at
    letter = relisted[0]

    # Replayed: the same bytes back on `commands`, handled by a healthy consumer.
    replayed = replay(
        EventProducer(ctx.endpoints.bootstrap_servers, ctx.codec, client_id="tests-replay"), [letter]
    )
    assert replayed[0]["partition"] == partition and replayed[0]["offset"] > offset
    seen: list[CommandEvent] = []

    def healthy(events: list[Any]) -> None:
        seen.extend(e for e in events if e.meta.event_id == poison.meta.event_id)

    _run_until(_loop(ctx, group, healthy, HealthBoard(None)), lambda: bool(seen))
    assert seen[0] == poison


def test_a_crash_before_the_commit_redelivers_the_whole_batch(ctx: Context) -> None:
    tag, group = f"crash-{uuid.uuid4().hex[:6]}", f"tests-{uuid.uuid4().hex[:8]}"
    cmds, _ = _commands(ctx, tag, 10)
    first: set[str] = set()

    def dies(events: list[Any]) -> None:
        mine = [str(e.meta.event_id) for e in events if e.reason == tag]
        first.update(mine)
        if mine:
            raise SystemExit("killed after the effects, before the commit")

    _run_until(_loop(ctx, group, dies, HealthBoard(None)), lambda: bool(first))
    again: set[str] = set()

    def handler(events: list[Any]) -> None:
        again.update(str(e.meta.event_id) for e in events if e.reason == tag)

    _run_until(_loop(ctx, group, handler, HealthBoard(None)), lambda: len(again) == len(cmds))
    assert first <= again


def test_a_discarded_send_never_reaches_the_broker(ctx: Context) -> None:
    # Nothing listens on port 1: without the discard the record would wait in the queue and
    # the flush would time out; a recomputed batch must not be followed by a stale copy.
    producer = EventProducer("127.0.0.1:1", ctx.codec, client_id="tests-discard")
    cmds, _ = _commands(ctx, f"discard-{uuid.uuid4().hex[:6]}", 1)
    producer.send(cmds[0])
    producer.discard()
    assert producer.flush(timeout=2) == []
