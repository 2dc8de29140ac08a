"""Everything this Tansu build needs that a stock Kafka would not, in one place.

Measured on these machines (DESIGN §3):
1. Joining a consumer group waits ``session.timeout.ms / 2``: use a short session.
2. The reported end offset (ListOffsets / watermarks) is wrong after batched produces
   (it returns the last batch's first offset + 1): "caught up" is decided by draining
   until an idle poll past the last offset we know of, never by end offsets, and never
   with ``auto.offset.reset=latest``.
3. ``read_committed`` does not hide aborted transactions: no Kafka transactions at all.
   Exactly-once effects come from deterministic event ids and offsets stored with rows.

Against a stock Kafka these settings are harmless, so production uses them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from streams.security import client_properties

K = TypeVar("K")

GROUP_SESSION_TIMEOUT_MS = 6000
GROUP_HEARTBEAT_MS = 1000
# An idle poll this long after the last known offset means "caught up" (quirk 2).
IDLE_DRAIN_S = 1.0


def producer_config(bootstrap: str, client_id: str) -> dict[str, Any]:
    # Idempotent + acks=all gives per-partition exactly-once delivery without transactions.
    return {
        **client_properties(bootstrap),
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "compression.type": "none",
        "message.max.bytes": 16 * 1024 * 1024,
    }


def consumer_config(bootstrap: str, group_id: str | None, client_id: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        **client_properties(bootstrap),
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        # Quirk 2: "latest" is computed from the broken end offset; always start from the log.
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        # Quirk 3: no transactions, so nothing to hide; read_committed would only mislead.
        "isolation.level": "read_uncommitted",
        "fetch.max.bytes": 64 * 1024 * 1024,
        "max.partition.fetch.bytes": 16 * 1024 * 1024,
        "log_level": 3,
    }
    # librdkafka insists on a group id even for assign()-only consumers.
    config["group.id"] = group_id or f"{client_id}-assign-only"
    if group_id:
        # Quirk 1: the join waits session.timeout.ms / 2.
        config["session.timeout.ms"] = GROUP_SESSION_TIMEOUT_MS
        config["heartbeat.interval.ms"] = GROUP_HEARTBEAT_MS
    return config


def caught_up(last_seen: Mapping[K, int], targets: Mapping[K, int]) -> bool:
    """True when every partition's last seen offset reached the target we know was written.

    ``targets`` are offsets we *know* exist (from our own delivery reports or stored
    offsets), never broker watermarks.
    """
    return all(last_seen.get(p, -1) >= off for p, off in targets.items())
