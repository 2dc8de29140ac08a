"""A plain confluent-kafka consumer loop with manual commits, around one of the pure handlers.

Why not faust's ``stream.take()``: it acknowledges the batch in a ``finally`` even when the
handler raises, so a Postgres hiccup mid-batch silently dropped the batch (issue 14). Here:

1. a batch's offsets are committed only after the handler returned, i.e. after its events
   were flushed (acks=all) and its rows committed;
2. a handler error retries the whole batch with exponential backoff; past the limit each
   record is tried alone, and the ones that still fail are dead-lettered (coordinates, raw
   bytes, error, attempt count) and flushed before the commit that skips them;
3. anything else (a broker error, a failed dead-lettering) escapes ``run``, so the worker's
   supervisor restarts the loop from the last committed offsets — or exits non-zero.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from schemas.codec import EventCodec
from streams.deadletters import retries_exhausted
from streams.health import HealthBoard
from streams.producer import EventProducer
from streams.quirks import consumer_config
from streams.reader import RawRecord

log = logging.getLogger("turing.consumer")

Handler = Callable[[list[Any]], object]


@dataclass(frozen=True)
class RetryPolicy:
    batch_attempts: int = 6
    single_attempts: int = 3
    first_backoff_s: float = 0.5
    max_backoff_s: float = 8.0

    def backoff(self, attempt: int) -> float:
        return min(self.max_backoff_s, self.first_backoff_s * 2 ** (attempt - 1))


class Stopping(Exception):
    """The worker is stopping mid-retry: leave without committing (the batch is redelivered)."""


@dataclass
class ConsumerLoop:
    name: str
    bootstrap: str
    group: str
    topic: str
    codec: EventCodec
    handler: Handler
    accepts: type
    dead_letters: EventProducer
    health: HealthBoard
    batch: int = 256
    within_s: float = 1.0
    policy: RetryPolicy = RetryPolicy()

    def __post_init__(self) -> None:
        self.health.consumer(self.name, self.group, self.topic)

    def run(self, stop: threading.Event) -> None:
        config = consumer_config(self.bootstrap, self.group, f"turing-{self.name}")
        # A batch may spend minutes retrying between polls: don't let librdkafka leave the group.
        config["max.poll.interval.ms"] = 30 * 60 * 1000
        consumer = Consumer(config)
        try:
            consumer.subscribe([self.topic])
            self.health.update(self.name, state="running")
            while not stop.is_set():
                records = self._take(consumer)
                if not records:
                    continue
                try:
                    self.process(records, stop)
                except Stopping:
                    return
                self._commit(consumer, records)
        finally:
            consumer.close()
            self.health.update(self.name, state="stopped")

    def _take(self, consumer: Consumer) -> list[RawRecord]:
        out: list[RawRecord] = []
        for m in consumer.consume(self.batch, timeout=self.within_s):
            err = m.error()
            if err is not None:
                if err.code() == KafkaError._PARTITION_EOF:
                    continue
                if err.fatal():
                    raise KafkaException(err)
                # librdkafka retries transport errors itself; say so and go on.
                self.health.error(self.name, f"consumer: {err}")
                continue
            out.append(_raw(m))
        return out

    def process(self, records: list[RawRecord], stop: threading.Event) -> None:
        """Handle the batch, retrying; dead-letter what keeps failing. Returns when it is safe to commit."""
        decoded = [(rec, self._decode(rec)) for rec in records]
        usable = [(rec, e) for rec, e in decoded if e is not None]
        if not usable:
            return
        failure = self._attempt([e for _, e in usable], self.policy.batch_attempts, stop)
        if failure is None:
            return
        if len(usable) == 1:
            rec, event = usable[0]
            self._dead_letter(rec, event, failure, self.policy.batch_attempts)
        else:
            log.warning("%s: batch of %d keeps failing; trying each record alone", self.name, len(usable))
            for rec, event in usable:
                alone = self._attempt([event], self.policy.single_attempts, stop)
                if alone is not None:
                    self._dead_letter(
                        rec, event, alone, self.policy.batch_attempts + self.policy.single_attempts
                    )
        # The dead letters must be in the log before the commit that skips their records.
        self.dead_letters.flush()

    def _attempt(self, events: list[Any], attempts: int, stop: threading.Event) -> str | None:
        for attempt in range(1, attempts + 1):
            try:
                self.handler(events)
                return None
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning("%s: attempt %d/%d failed: %s", self.name, attempt, attempts, error)
                self.health.error(self.name, error, state="retrying")
                if attempt == attempts:
                    return error
                self.health.count(self.name, retries=1)
                if stop.wait(self.policy.backoff(attempt)):
                    raise Stopping() from exc
        return None

    def _dead_letter(self, rec: RawRecord, event: Any, error: str, attempts: int) -> None:
        log.error("%s: %s[%d]@%d dead-lettered after %d attempts: %s",
                  self.name, rec.topic, rec.partition, rec.offset, attempts, error)  # fmt: skip
        cause = str(event.meta.event_id) if getattr(event, "meta", None) is not None else None
        self.dead_letters.send(retries_exhausted(rec, error, attempts, self.name, cause))
        self.health.count(self.name, dead_letters=1)

    def _decode(self, rec: RawRecord) -> Any:
        if rec.value is None:
            return None
        try:
            event = self.codec.decode(rec.topic, rec.value)[1]
        except Exception as exc:  # the projector dead-letters undecodable records; not ours to block on
            log.error("%s: undecodable record %s[%d]@%d skipped: %s", self.name, rec.topic, rec.partition,
                      rec.offset, exc)  # fmt: skip
            return None
        return event if isinstance(event, self.accepts) else None

    def _commit(self, consumer: Consumer, records: list[RawRecord]) -> None:
        nexts: dict[tuple[str, int], int] = {}
        for rec in records:
            tp = (rec.topic, rec.partition)
            nexts[tp] = max(nexts.get(tp, 0), rec.offset + 1)
        try:
            consumer.commit(
                offsets=[TopicPartition(t, p, off) for (t, p), off in nexts.items()], asynchronous=False
            )
        except KafkaException as exc:
            # Effects are durable and idempotent: an uncommitted batch is merely redelivered.
            log.warning("%s: commit failed (the batch will be redelivered): %s", self.name, exc)
            self.health.error(self.name, f"commit: {exc}")
            return
        self.health.progressed(self.name, nexts, len(records))


def _raw(m: Message) -> RawRecord:
    return RawRecord(
        m.topic() or "", m.partition() or 0, m.offset() or 0, m.key(), m.value(), m.timestamp()[1]
    )
