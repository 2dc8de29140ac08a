"""Topic creation and description."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from schemas.errors import BrokerUnavailable
from schemas.topics import CATALOGUE, Topic
from streams.security import client_properties


def admin_client(bootstrap: str) -> AdminClient:
    return AdminClient({**client_properties(bootstrap), "bootstrap.servers": bootstrap, "log_level": 3})


def metadata(admin: AdminClient, timeout: float) -> Any:
    """The cluster's topic metadata; a broker that does not answer is BrokerUnavailable."""
    try:
        return admin.list_topics(timeout=timeout)
    except KafkaException as exc:
        raise BrokerUnavailable(str(exc)) from exc


def ensure_topics(bootstrap: str, topics: tuple[Topic, ...] = CATALOGUE, timeout: float = 30) -> list[str]:
    """Create the catalogue's missing topics; returns the names created."""
    admin = admin_client(bootstrap)  # keep a reference: an inline client is collected mid-call
    existing = set(metadata(admin, timeout).topics)
    new = [
        NewTopic(t.name, num_partitions=t.partitions, replication_factor=1, config=t.config)
        for t in topics
        if t.name not in existing
    ]
    if not new:
        return []
    futures = admin.create_topics(new, request_timeout=timeout)
    created = []
    for name, fut in futures.items():
        try:
            fut.result(timeout)
            created.append(name)
        except KafkaException as exc:
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise BrokerUnavailable(f"cannot create topic {name!r}: {exc}") from exc
    return created


def partitions_of(bootstrap: str, name: str, timeout: float = 10) -> list[int]:
    return partitions_of_all(bootstrap, [name], timeout)[name]


def partitions_of_all(bootstrap: str, names: Iterable[str], timeout: float = 10) -> dict[str, list[int]]:
    """Every named topic's partitions from one metadata request (catch-ups call this often)."""
    meta = metadata(admin_client(bootstrap), timeout)
    out: dict[str, list[int]] = {}
    for name in names:
        t = meta.topics.get(name)
        if t is None or t.error is not None:
            raise KeyError(f"topic {name!r} does not exist on {bootstrap}")
        out[name] = sorted(t.partitions)
    return out


def describe_topics(bootstrap: str, timeout: float = 10) -> list[dict[str, Any]]:
    admin = admin_client(bootstrap)
    meta = metadata(admin, timeout)
    return [
        {"name": name, "partitions": len(t.partitions)}
        for name, t in sorted(meta.topics.items())
        if not name.startswith("__")
    ]
