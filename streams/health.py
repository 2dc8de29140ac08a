"""What the worker says about itself: a heartbeat file in the data dir, and the lag report built from it.

The worker rewrites ``DATA_DIR/worker-health.json`` (mode 0600) every couple of seconds with,
per consumer: its group and topic, the offsets it committed and when, batches and records,
retries, the last error, dead letters since start, restarts. `turing status` reads it and
computes each consumer's lag from offsets the project recorded itself — the projector's
``projector_offsets``, the worker's own delivery reports, the groups' committed offsets —
never from the broker's end offsets, which this broker build reports wrong (quirk 2).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HEALTH_FILE = "worker-health.json"
# A heartbeat older than this means the worker is hung or gone.
HEARTBEAT_STALE_S = 20.0
# Work pending and no commit for this long: "stalled". Longer than the retry budget of one
# batch, so a batch riding out a short Postgres restart is "retrying", not "stalled".
STALL_AFTER_S = 120.0


def tp_key(topic: str, partition: int) -> str:
    return f"{topic}:{partition}"


def parse_tp(key: str) -> tuple[str, int]:
    topic, _, partition = key.rpartition(":")
    return topic, int(partition)


@dataclass
class ConsumerHealth:
    name: str
    group: str
    topic: str
    state: str = "starting"  # starting | running | retrying | crashed | stopped
    batches: int = 0
    records: int = 0
    retries: int = 0
    errors: int = 0
    dead_letters: int = 0
    restarts: int = 0
    committed: dict[str, int] = field(default_factory=dict)  # "topic:partition" -> next offset
    last_progress_at: float = field(default_factory=time.time)
    last_error: str | None = None
    last_error_at: float | None = None


class HealthBoard:
    """Thread-safe counters every consumer loop and the projector thread update."""

    def __init__(self, path: Path | None):
        self.path = path
        self.started_at = time.time()
        self._lock = threading.Lock()
        self._consumers: dict[str, ConsumerHealth] = {}
        self.produced: dict[str, int] = {}  # highest offset the worker produced per partition

    def consumer(self, name: str, group: str, topic: str) -> ConsumerHealth:
        with self._lock:
            return self._consumers.setdefault(name, ConsumerHealth(name, group, topic))

    def update(self, name: str, **changes: Any) -> None:
        with self._lock:
            c = self._consumers[name]
            for key, value in changes.items():
                setattr(c, key, value)

    def count(self, name: str, **increments: int) -> None:
        with self._lock:
            c = self._consumers[name]
            for key, value in increments.items():
                setattr(c, key, getattr(c, key) + value)

    def error(self, name: str, exc: BaseException | str, state: str | None = None) -> None:
        text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        with self._lock:
            c = self._consumers[name]
            c.errors += 1
            c.last_error, c.last_error_at = text[:2000], time.time()
            if state is not None:
                c.state = state

    def progressed(self, name: str, committed: Mapping[tuple[str, int], int], records: int) -> None:
        with self._lock:
            c = self._consumers[name]
            for (t, p), off in committed.items():
                c.committed[tp_key(t, p)] = max(c.committed.get(tp_key(t, p), 0), off)
            c.batches += 1
            c.records += records
            c.last_progress_at = time.time()
            c.state = "running"

    def record_produced(self, targets: Mapping[tuple[str, int], int]) -> None:
        with self._lock:
            for (t, p), off in targets.items():
                key = tp_key(t, p)
                self.produced[key] = max(self.produced.get(key, -1), off)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "pid": os.getpid(),
                "started_at": self.started_at,
                "updated_at": time.time(),
                "consumers": [asdict(c) for c in self._consumers.values()],
                "produced": dict(self.produced),
            }

    def write(self) -> None:
        if self.path is None:
            return
        data = json.dumps(self.snapshot(), indent=1, sort_keys=True).encode()
        tmp = self.path.with_suffix(".tmp")
        # 0600: the file names errors, which can quote posting text.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)

    def write_forever(self, stop: threading.Event, every_s: float = 2.0) -> None:
        while True:
            # A full disk must not kill the worker; the stale heartbeat will say so.
            with contextlib.suppress(OSError):
                self.write()
            if stop.wait(every_s):
                self.write()
                return


def read_health(data_dir: Path) -> dict[str, Any] | None:
    path = data_dir / HEALTH_FILE
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return None


def known_ends(
    projector_offsets: Mapping[tuple[str, int], int],
    produced: Mapping[str, int],
    committed: Mapping[tuple[str, int], int],
) -> dict[tuple[str, int], int]:
    """The furthest offset (exclusive) known to exist per partition, from our own records only."""
    ends: dict[tuple[str, int], int] = dict(projector_offsets)
    for key, off in produced.items():
        tp = parse_tp(key)
        ends[tp] = max(ends.get(tp, 0), off + 1)
    for tp, off in committed.items():
        ends[tp] = max(ends.get(tp, 0), off)
    return ends


def consumer_report(
    health: Mapping[str, Any] | None,
    projector_offsets: Mapping[tuple[str, int], int],
    group_offsets: Mapping[str, Mapping[tuple[str, int], int]],
    now: float | None = None,
) -> list[dict[str, Any]]:
    """Per consumer (and the projector): lag, last error, dead letters, and whether it is stalled.

    ``group_offsets`` are the committed offsets the broker holds per group (by group name);
    the heartbeat file's own record of commits stands in where the broker gave none.
    """
    now = time.time() if now is None else now
    consumers = list((health or {}).get("consumers", []))
    produced = dict((health or {}).get("produced", {}))
    committed_all: dict[tuple[str, int], int] = {}
    per: dict[str, dict[tuple[str, int], int]] = {}
    for c in consumers:
        mine = {parse_tp(k): int(v) for k, v in c.get("committed", {}).items()}
        mine.update(group_offsets.get(c["group"], {}))
        per[c["name"]] = mine
        for tp, off in mine.items():
            committed_all[tp] = max(committed_all.get(tp, 0), off)
    ends = known_ends(projector_offsets, produced, committed_all)
    heartbeat_age = now - float(health["updated_at"]) if health else None
    out: list[dict[str, Any]] = []
    for c in consumers:
        mine = per[c["name"]]
        lag = sum(max(0, off - mine.get(tp, 0)) for tp, off in ends.items() if tp[0] == c["topic"])
        idle_for = now - float(c.get("last_progress_at", now))
        out.append(
            {
                "name": c["name"],
                "group": c["group"],
                "topic": c["topic"],
                "state": c.get("state"),
                "lag": lag,
                "stalled": lag > 0 and idle_for > STALL_AFTER_S,
                "idle_s": round(idle_for, 1),
                "last_error": c.get("last_error"),
                "last_error_at": c.get("last_error_at"),
                "dead_letters": c.get("dead_letters", 0),
                "retries": c.get("retries", 0),
                "restarts": c.get("restarts", 0),
                "records": c.get("records", 0),
            }
        )
    projector_lag = sum(max(0, off - projector_offsets.get(tp, 0)) for tp, off in ends.items())
    projector = next((c for c in out if c["name"] == "projector"), None)
    if projector is not None:
        projector["lag"] = projector_lag
        projector["stalled"] = projector_lag > 0 and projector["idle_s"] > STALL_AFTER_S
    if heartbeat_age is not None and heartbeat_age > HEARTBEAT_STALE_S:
        for c in out:
            c["stalled"] = c["stalled"] or c["lag"] > 0
            c["state"] = "no heartbeat"
    return out


def healthy(report: list[dict[str, Any]]) -> bool:
    return not any(c["stalled"] or c["state"] in ("crashed", "no heartbeat") for c in report)


def group_offsets(
    bootstrap: str, groups: Mapping[str, str], timeout: float = 10
) -> dict[str, dict[tuple[str, int], int]]:
    """The offsets each consumer group committed (group -> topic it reads), as the broker holds them."""
    from confluent_kafka import Consumer, TopicPartition

    from streams.admin import partitions_of_all
    from streams.quirks import consumer_config

    parts = partitions_of_all(bootstrap, sorted(set(groups.values())), timeout)
    out: dict[str, dict[tuple[str, int], int]] = {}
    for group, topic in groups.items():
        # Asking for committed offsets does not join the group (no rebalance of the worker).
        consumer = Consumer(consumer_config(bootstrap, group, "turing-status"))
        try:
            found = consumer.committed([TopicPartition(topic, p) for p in parts[topic]], timeout=timeout)
        finally:
            consumer.close()
        out[group] = {(tp.topic, tp.partition): tp.offset for tp in found if tp.offset >= 0}
    return out
