"""Shared by the pipeline's end-to-end tests: start/stop a worker process, wait for runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from infra.barrier import applied_past
from infra.context import Context
from infra.service_ports import event_log
from processors.ports import Offsets
from projections.read import pipeline as pipeline_reads

REPO = Path(__file__).resolve().parents[2]


def start_worker(data_dir: Path, log_name: str = "worker-test.log") -> subprocess.Popen[bytes]:
    log = open(data_dir / log_name, "ab")  # noqa: SIM115 - the child owns it
    return subprocess.Popen(
        [sys.executable, "-m", "infra.worker", "--data-dir", str(data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        # PGAPPNAME marks the test's own connections (spared by the fault suite's terminator).
        env={**{k: v for k, v in os.environ.items() if k != "PGAPPNAME"}, "PYTHONUNBUFFERED": "1"},
    )


def stop_worker(proc: subprocess.Popen[bytes], kill: bool = False) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_runs(ctx: Context, expect: int, timeout: float = 240.0, **filters: Any) -> list[dict[str, Any]]:
    """Wait until `expect` runs (matching filters) have finished; returns them."""
    deadline = time.monotonic() + timeout
    rows: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        ctx.catch_up()
        rows = pipeline_reads.list_runs(ctx.endpoints.dsn, limit=10_000, schema=ctx.schema, **filters)
        done = [r for r in rows if r["status"] in ("completed", "failed")]
        if len(done) >= expect:
            return rows
        time.sleep(0.5)
    raise AssertionError(
        f"only {len(rows)} runs seen ({json.dumps([r['status'] for r in rows])}), {expect} expected"
    )


def rows(ctx: Context, query: str, *args: Any) -> list[dict[str, Any]]:
    from projections import db

    with db.connect(ctx.endpoints.dsn) as conn:
        return [dict(r) for r in conn.execute(query, args)]


DERIVED_TOPICS = ("runs", "decisions", "derivations", "matches")


def records_by_event_id(ctx: Context, topics: tuple[str, ...] = DERIVED_TOPICS) -> dict[str, list[bytes]]:
    """Every record of the topics, read back from the log and grouped by event id."""
    from collections import defaultdict

    from streams.reader import drain

    by_id: dict[str, list[bytes]] = defaultdict(list)
    for batch in drain(ctx.endpoints.bootstrap_servers, {(t, p): 0 for t in topics for p in range(3)}):
        for rec in batch:
            _, event = ctx.codec.decode(rec.topic, rec.value or b"")
            by_id[str(event.meta.event_id)].append(rec.value or b"")
    return by_id


def assert_same_bytes_per_id(
    ctx: Context, topics: tuple[str, ...] = DERIVED_TOPICS
) -> dict[str, list[bytes]]:
    """Idempotency by id is only sound if every copy of an id is the same bytes."""
    import hashlib

    log = records_by_event_id(ctx, topics)
    differing = {i: n for i, vs in log.items() if (n := len({hashlib.sha256(v).hexdigest() for v in vs})) > 1}
    assert not differing, f"{len(differing)} event ids with differing bytes: {list(differing)[:5]}"
    return log


class CatchUpBarrier:
    """The projection barrier for a service a test drives in-process, with no projector running:
    waiting projects the log so far itself (the worker waits for its one projector instead)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def reached(self, produced: Offsets) -> bool:
        return applied_past(event_log(self.ctx).applied_offsets(), produced)

    def wait(self, produced: Offsets) -> None:
        self.ctx.catch_up(dict(produced) or None)
