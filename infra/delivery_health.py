"""The delivery report of `turing status` and the API's /ready: the worker's heartbeat file,
the consumer groups' commits on the broker, and the projector's offsets in PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from projections.stores.event_log import PostgresEventLog
from streams.health import HEALTH_FILE, consumer_report, group_offsets, healthy, read_health


def delivery_health(
    data_dir: Path, bootstrap: str, dsn: str, schema: str, worker_pid: int | None = None
) -> dict[str, Any]:
    """Per consumer lag, last error, dead letters and "stalled", from the heartbeat and recorded offsets."""
    health = read_health(data_dir)
    answer: dict[str, Any] = {"consumers": [], "healthy": False, "heartbeat_age_s": None}
    if health is None or (worker_pid is not None and health.get("pid") != worker_pid):
        answer["error"] = f"no heartbeat ({HEALTH_FILE}) from worker {worker_pid} yet: it is starting"
        return answer
    answer["heartbeat_age_s"] = round(time.time() - float(health["updated_at"]), 1)
    try:
        projected = PostgresEventLog(dsn, schema).applied_offsets()
        groups = {c["group"]: c["topic"] for c in health.get("consumers", []) if c["topic"] != "*"}
        committed = group_offsets(bootstrap, groups)
    except Exception as exc:  # status reports, it does not crash
        answer["error"] = f"offsets unavailable: {type(exc).__name__}: {exc}"
        return answer
    report = consumer_report(health, projected, committed)
    answer.update(
        consumers=report,
        healthy=healthy(report),
        dead_letters=sum(int(c["dead_letters"]) for c in report if c["name"] != "projector"),
    )
    return answer
