"""Dead letters a consumer writes when a record keeps failing, and how they are listed and replayed.

A consumer (pipeline, orchestrator, matcher) that fails on a record past its retry limit
produces a ``deadletter.retries_exhausted`` event holding the record's coordinates, raw key
and value, the last error and the attempt count, flushes it, and only then commits past
the record. Replaying puts the raw record back on its source topic unchanged: same key,
so the same partition; same bytes, so the same event id; the consumers' idempotency (a
run's events are only emitted for ids not yet in the log) makes a second replay a no-op.
The projector's own dead letters (records it could not decode) are not replayable: the
same bytes would fail the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from schemas.codec import EventCodec
from schemas.models import DeadLetter, Producer, deterministic_id, event_meta, now_utc
from schemas.topics import topic
from streams.producer import EventProducer
from streams.reader import RawRecord, drain

EXHAUSTED = "deadletter.retries_exhausted"
_ATTEMPTS = re.compile(r"^attempts=(\d+); ")
# Dead letters of these processors are records that never decoded: replaying cannot help.
NOT_REPLAYABLE = frozenset({"projector"})


def retries_exhausted(
    rec: RawRecord, error: str, attempts: int, processor: str, causation_id: str | None = None
) -> DeadLetter:
    """Each dead-lettering is its own event (its id includes when it happened), so an id never
    has two sets of bytes; a record dead-lettered again after a crash is listed once, newest first."""
    at = now_utc()
    return DeadLetter(
        meta=event_meta(
            EXHAUSTED,
            Producer(component=processor, version="1"),
            event_id=deterministic_id(
                "deadletter", rec.topic, rec.partition, rec.offset, processor, at.isoformat()
            ),
            occurred_at=at,
            causation_id=causation_id,
        ),
        source_topic=rec.topic,
        source_partition=rec.partition,
        source_offset=rec.offset,
        source_key=rec.key,
        raw_value=rec.value,
        # The schema has no attempts field; a fixed prefix keeps the count machine-readable.
        error=f"attempts={attempts}; {error}"[:10_000],
        processor=processor,
    )


@dataclass(frozen=True)
class Letter:
    event_id: str
    occurred_at: str
    processor: str
    source_topic: str
    source_partition: int
    source_offset: int
    key: str | None
    attempts: int | None
    error: str
    replayable: bool
    raw_key: bytes | None
    raw_value: bytes | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "occurred_at": self.occurred_at,
            "processor": self.processor,
            "source": f"{self.source_topic}[{self.source_partition}]@{self.source_offset}",
            "key": self.key,
            "attempts": self.attempts,
            "error": self.error,
            "replayable": self.replayable,
        }


def _letter(event: DeadLetter) -> Letter:
    found = _ATTEMPTS.match(event.error)
    return Letter(
        event_id=str(event.meta.event_id),
        occurred_at=event.meta.occurred_at.isoformat(),
        processor=event.processor,
        source_topic=event.source_topic,
        source_partition=event.source_partition,
        source_offset=event.source_offset,
        key=event.source_key.decode("utf-8", "replace") if event.source_key is not None else None,
        attempts=int(found.group(1)) if found else None,
        error=event.error[found.end() :] if found else event.error,
        replayable=event.processor not in NOT_REPLAYABLE and event.raw_value is not None,
        raw_key=event.source_key,
        raw_value=event.raw_value,
    )


def read_letters(bootstrap: str, codec: EventCodec) -> list[Letter]:
    """One letter per record a processor gave up on (the newest, if it gave up more than once),
    in the order the records were first dead-lettered."""
    latest: dict[tuple[str, int, int, str], Letter] = {}
    starts = {("deadletters", p): 0 for p in range(topic("deadletters").partitions)}
    for batch in drain(bootstrap, starts, client_id="turing-deadletters"):
        for rec in batch:
            if rec.value is None:
                continue
            _, event = codec.decode("deadletters", rec.value)
            if isinstance(event, DeadLetter):
                key = (event.source_topic, event.source_partition, event.source_offset, event.processor)
                latest[key] = _letter(event)  # dicts keep the first insertion's position
    return list(latest.values())


def replay(producer: EventProducer, letters: list[Letter]) -> list[dict[str, Any]]:
    """Put each replayable letter's record back on its source topic; flushed before returning."""
    for letter in letters:
        if not letter.replayable:
            raise ValueError(f"dead letter {letter.event_id} ({letter.processor}) cannot be replayed")
        assert letter.raw_value is not None
        producer.send_raw(letter.source_topic, letter.raw_key, letter.raw_value, letter.event_id)
    deliveries = {d.event_id: d for d in producer.flush()} if letters else {}
    return [
        {
            "id": letter.event_id,
            "topic": letter.source_topic,
            "partition": deliveries[letter.event_id].partition,
            "offset": deliveries[letter.event_id].offset,
        }
        for letter in letters
    ]
