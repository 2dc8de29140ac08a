"""Idempotent producer (acks=all) that serializes events and reports where each landed."""

from __future__ import annotations

from dataclasses import dataclass

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from schemas.codec import EventCodec
from schemas.errors import BrokerUnavailable
from schemas.models import Event
from streams.quirks import producer_config


@dataclass(frozen=True)
class Delivery:
    topic: str
    partition: int
    offset: int
    event_id: str


def targets_of(deliveries: list[Delivery]) -> dict[tuple[str, int], int]:
    """The highest offset produced per partition: what "caught up" must reach."""
    targets: dict[tuple[str, int], int] = {}
    for d in deliveries:
        tp = (d.topic, d.partition)
        targets[tp] = max(targets.get(tp, -1), d.offset)
    return targets


class DeliveryFailed(BrokerUnavailable):
    """Records the broker did not acknowledge (in time, or at all)."""


class EventProducer:
    def __init__(self, bootstrap: str, codec: EventCodec, client_id: str = "turing"):
        try:
            self._producer = Producer(producer_config(bootstrap, client_id))
        except KafkaException as exc:
            raise BrokerUnavailable(f"cannot set up a producer for {bootstrap}: {exc}") from exc
        self.codec = codec
        self._deliveries: list[Delivery] = []
        self._errors: list[str] = []

    def send(self, event: Event) -> None:
        self.send_raw(event.topic, event.key().encode(), self.codec.encode(event), str(event.meta.event_id))

    def send_raw(self, topic: str, key: bytes | None, value: bytes, label: str = "") -> None:
        def report(err: KafkaError | None, msg: Message) -> None:
            if err is not None:
                self._errors.append(f"{label or topic}: {err}")
            else:
                self._deliveries.append(
                    Delivery(msg.topic() or topic, msg.partition() or 0, msg.offset() or 0, label)
                )

        while True:
            try:
                self._producer.produce(topic, value=value, key=key, on_delivery=report)
                break
            except BufferError:
                # Local queue full: let deliveries drain, then retry this record.
                self._producer.poll(0.1)
            except KafkaException as exc:
                raise BrokerUnavailable(f"{label or topic}: {exc}") from exc
        self._producer.poll(0)

    def discard(self) -> None:
        """Drop what is queued and not yet sent, and forget pending reports.

        A failed batch is recomputed and its events checked against the log before they are
        sent again; a stale copy still queued here must not reach the broker after that check.
        """
        self._producer.purge(in_queue=True, in_flight=False, blocking=True)
        self._producer.poll(0)
        self._deliveries, self._errors = [], []

    def flush(self, timeout: float = 60.0) -> list[Delivery]:
        """Wait for every outstanding record; raise if any failed. Returns and clears the reports."""
        remaining = self._producer.flush(timeout)
        if remaining:
            raise DeliveryFailed(f"{remaining} records still undelivered after {timeout}s")
        if self._errors:
            errors, self._errors = self._errors, []
            raise DeliveryFailed(
                "; ".join(errors[:5]) + (f" (+{len(errors) - 5} more)" if len(errors) > 5 else "")
            )
        out, self._deliveries = self._deliveries, []
        return out
