"""The services' EventSink on Kafka: an idempotent producer whose flush reports offsets."""

from __future__ import annotations

from schemas.models import Event
from streams.producer import EventProducer, targets_of


class KafkaEventSink:
    def __init__(self, producer: EventProducer):
        self.producer = producer

    def send(self, event: Event) -> None:
        self.producer.send(event)

    def flush(self) -> dict[tuple[str, int], int]:
        return targets_of(self.producer.flush())

    def discard(self) -> None:
        self.producer.discard()
