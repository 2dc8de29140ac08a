"""Each measured quirk of the Tansu build, and the way `streams` works around it."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from streams import quirks
from streams.reader import drain, read_at

pytestmark = pytest.mark.stack


def _produce(bootstrap: str, topic: str, n: int) -> None:
    producer = Producer(quirks.producer_config(bootstrap, "quirk-test"))
    for i in range(n):
        producer.produce(topic, key=b"k", value=f"record-{i}".encode())
    assert producer.flush(30) == 0


def test_end_offsets_cannot_be_trusted_so_drain_does_not_use_them(module_stack) -> None:  # type: ignore[no-untyped-def]
    bootstrap = module_stack[1].bootstrap_servers
    _produce(bootstrap, "feedback", 600)
    consumer = Consumer(quirks.consumer_config(bootstrap, None, "watermarks"))
    _, high = consumer.get_watermark_offsets(TopicPartition("feedback", 0), timeout=10)
    consumer.close()
    counted = 0
    for p in range(3):
        counted += sum(len(b) for b in drain(bootstrap, {("feedback", p): 0}))
    # Our drain sees every record whatever the broker reports as the end.
    assert counted == 600
    # Record what the broker reports; if it ever becomes right this documents the change.
    assert high <= 600


def test_drain_waits_for_targets_it_knows_exist(module_stack) -> None:  # type: ignore[no-untyped-def]
    bootstrap = module_stack[1].bootstrap_servers
    _produce(bootstrap, "deadletters", 50)
    seen = [
        r.offset
        for b in drain(bootstrap, {("deadletters", 0): 0}, targets={("deadletters", 0): 49})
        for r in b
    ]
    assert max(seen) >= 49
    assert read_at(bootstrap, "deadletters", 0, 49).value == b"record-49"


def test_group_consumer_with_our_session_timeout_joins_promptly(module_stack) -> None:  # type: ignore[no-untyped-def]
    bootstrap = module_stack[1].bootstrap_servers
    _produce(bootstrap, "matches", 3)
    config = quirks.consumer_config(bootstrap, "quirk-group", "group-test")
    assert config["session.timeout.ms"] == quirks.GROUP_SESSION_TIMEOUT_MS == 6000
    consumer = Consumer(config)
    consumer.subscribe(["matches"])
    started = time.monotonic()
    got = 0
    try:
        while got < 3 and time.monotonic() - started < 30:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                got += 1
    finally:
        consumer.close()
    # A join waits session.timeout.ms / 2: with the default 45 s it would not finish in 30 s.
    assert got == 3


def test_no_kafka_transactions_and_earliest_reset() -> None:
    producer = quirks.producer_config("127.0.0.1:1", "x")
    assert producer["enable.idempotence"] is True and producer["acks"] == "all"
    assert "transactional.id" not in producer
    consumer = quirks.consumer_config("127.0.0.1:1", None, "x")
    assert consumer["auto.offset.reset"] == "earliest"
    assert consumer["isolation.level"] == "read_uncommitted"
    assert consumer["enable.auto.commit"] is False


def test_caught_up_compares_known_offsets_only() -> None:
    assert quirks.caught_up({("t", 0): 5}, {("t", 0): 5})
    assert not quirks.caught_up({("t", 0): 4}, {("t", 0): 5})
    assert not quirks.caught_up({}, {("t", 1): 0})
    assert quirks.caught_up({("t", 0): 1}, {})
