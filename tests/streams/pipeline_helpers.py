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

from infra.context import Context
from projections import pipeline_reads

REPO = Path(__file__).resolve().parents[2]


def start_worker(data_dir: Path, log_name: str = "worker-test.log") -> subprocess.Popen[bytes]:
    log = open(data_dir / log_name, "ab")  # noqa: SIM115 - the child owns it
    return subprocess.Popen(
        [sys.executable, "-m", "streams.worker", "--data-dir", str(data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
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
