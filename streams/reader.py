"""Read topics from given offsets until caught up, and single records at coordinates.

"Caught up" never trusts the broker's end offsets (quirk 2 in `streams.quirks`): we stop
after an idle poll once every partition has reached the offsets we know were written.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaError, TopicPartition

from schemas.errors import BrokerUnavailable
from streams.quirks import IDLE_DRAIN_S, caught_up, consumer_config


@dataclass(frozen=True)
class RawRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int


def _consumer(bootstrap: str, client_id: str) -> Consumer:
    return Consumer(consumer_config(bootstrap, None, f"{client_id}-{uuid.uuid4().hex[:8]}"))


def drain(
    bootstrap: str,
    starts: dict[tuple[str, int], int],
    targets: dict[tuple[str, int], int] | None = None,
    idle_s: float = IDLE_DRAIN_S,
    batch: int = 500,
    client_id: str = "turing-reader",
) -> Iterator[list[RawRecord]]:
    """Yield batches from `starts` (next offset per topic-partition) until caught up.

    `targets` are offsets known to exist (our own deliveries, stored offsets); we keep
    reading at least until each is seen, and then until nothing arrives for `idle_s`.
    """
    consumer = _consumer(bootstrap, client_id)
    try:
        consumer.assign([TopicPartition(t, p, off) for (t, p), off in starts.items()])
        last_seen: dict[tuple[str, int], int] = {tp: off - 1 for tp, off in starts.items()}
        known = dict(targets or {})
        idle_since = time.monotonic()
        while True:
            msgs = consumer.consume(batch, timeout=0.2)
            out: list[RawRecord] = []
            for m in msgs:
                err = m.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        continue  # EOF comes from the broker's (unreliable) watermark: ignore
                    raise BrokerUnavailable(str(err))
                tp = (m.topic() or "", m.partition() or 0)
                off = m.offset() or 0
                last_seen[tp] = off
                ts = m.timestamp()[1]
                out.append(RawRecord(tp[0], tp[1], off, m.key(), m.value(), ts))
            if out:
                idle_since = time.monotonic()
                yield out
                continue
            if caught_up(last_seen, known) and time.monotonic() - idle_since >= idle_s:
                return
    finally:
        consumer.close()


def read_at(bootstrap: str, topic: str, partition: int, offset: int, timeout: float = 10.0) -> RawRecord:
    """Re-read exactly one record from the log at its coordinates."""
    consumer = _consumer(bootstrap, "turing-verify")
    try:
        consumer.assign([TopicPartition(topic, partition, offset)])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = consumer.poll(0.2)
            if m is None:
                continue
            err = m.error()
            if err is not None:
                if err.code() == KafkaError._PARTITION_EOF:
                    continue
                raise BrokerUnavailable(str(err))
            if m.offset() != offset:
                raise LookupError(f"{topic}[{partition}]@{offset}: the broker returned offset {m.offset()}")
            return RawRecord(topic, partition, offset, m.key(), m.value(), m.timestamp()[1])
        raise LookupError(f"{topic}[{partition}]@{offset}: no record there within {timeout}s")
    finally:
        consumer.close()


def log_end(
    bootstrap: str,
    starts: dict[tuple[str, int], int],
    targets: Mapping[tuple[str, int], int] | None = None,
    idle_s: float = IDLE_DRAIN_S,
) -> dict[tuple[str, int], int]:
    """The last offset per partition from `starts` on, read until caught up; partitions with
    nothing at or past their start are left out. Reads the records without keeping them."""
    last: dict[tuple[str, int], int] = {}
    for batch in drain(bootstrap, starts, dict(targets or {}), idle_s, client_id="turing-log-end"):
        for rec in batch:
            last[(rec.topic, rec.partition)] = rec.offset
    return last
