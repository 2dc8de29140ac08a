"""The pipeline worker killed mid-batch: after a restart every run completes exactly once."""

from __future__ import annotations

import time

import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs

pytestmark = pytest.mark.stack


def test_worker_killed_mid_batch_then_restarted_completes_every_run_once(fresh_stack) -> None:
    root, endpoints = fresh_stack
    ctx = Context(endpoints, component="tests")
    worker = start_worker(root, "worker-1.log")
    try:
        plan = ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        expected = sum(1 for e in plan.events if e.meta.event_type == "posting.observed")
        # Kill as soon as the first decisions are in the log, before the batch is acknowledged.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ctx.catch_up()
            if rows(ctx, "SELECT count(*) AS n FROM proj.decisions")[0]["n"] > 0:
                break
            time.sleep(0.2)
        stop_worker(worker, kill=True)
        worker = start_worker(root, "worker-2.log")
        runs = wait_runs(ctx, expected)
    finally:
        stop_worker(worker)
        ctx.close()
    assert len(runs) == expected
    assert all(r["status"] == "completed" for r in runs)
    per_posting = rows(ctx, "SELECT posting_id, count(*) AS n FROM proj.derivations GROUP BY 1")
    assert len(per_posting) == expected and all(r["n"] == 1 for r in per_posting)
    commands = rows(ctx, "SELECT count(DISTINCT event_id) AS n FROM proj.audit_log WHERE topic = 'commands'")
    assert commands[0]["n"] == expected
