"""Rebuild equality, and a projector killed with SIGKILL mid-stream converging to a clean run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from processors.intake.changes import plan
from processors.intake.records import read_records
from projections.read import postings as queries
from projections.write.rebuild import rebuild
from schemas.models import now_utc
from tests.conftest import SAMPLES

pytestmark = pytest.mark.stack
TURING = str(Path(sys.executable).parent / "turing")


def synthetic_postings(n: int) -> bytes:
    lines = []
    for i in range(n):
        lines.append(
            json.dumps(
                {
                    "id": f"syn-{i:06d}",
                    "source": "company-site",
                    "title": f"Warehouse Associate {i % 17}",
                    "company": f"Depot {i % 101} Ltd",
                    "location": ["Leeds, UK", "Lyon, FR", "Austin, TX"][i % 3],
                    "description": f"Pick, pack and ship. Forklift certification preferred. Shift {i}. " * 8,
                    "salary_min": 25000 + i % 5000,
                    "salary_max": 30000 + i % 5000,
                    "currency": "GBP",
                    "work_model": "Onsite",
                    "posted_at": "2026-10-01",
                    "url": f"https://jobs.example.com/{i}",
                }
            )
        )
    return "\n".join(lines).encode()


def test_rebuild_replays_into_a_fresh_schema_with_equal_checksums(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
    ingest_postings(ctx, "postings_update.jsonl", (SAMPLES / "postings_update.jsonl").read_bytes())
    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, dead_letters=ctx.producer)
    assert report.equal and report.swapped
    assert report.events == 39
    assert report.checksum_live == report.checksum_rebuilt
    # The swapped-in schema is complete and live reads work; no leftover schemas.
    assert queries.counts(ctx.endpoints.dsn)["postings"] == 36
    with psycopg.connect(ctx.endpoints.dsn) as conn:
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'proj%'")}
    assert schemas == {"proj"}
    again = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, swap=False)
    assert again.equal and again.checksum_live == report.checksum_live


def test_rebuild_repairs_a_tampered_live_projection(ctx: Context) -> None:
    ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
    with psycopg.connect(ctx.endpoints.dsn) as conn:
        conn.execute("UPDATE proj.postings SET title = 'tampered' WHERE posting_id = 'lnk-48213'")
    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec)
    assert not report.equal and report.swapped
    row = queries.get_posting(ctx.endpoints.dsn, "lnk-48213")
    assert row is not None and row["title"] != "tampered"


def test_projector_killed_mid_stream_converges_to_a_clean_run(fresh_stack) -> None:  # type: ignore[no-untyped-def]
    root, endpoints = fresh_stack
    n = 6000
    ctx = Context(endpoints, component="tests")
    try:
        result = plan(read_records("syn.jsonl", synthetic_postings(n)), {}, ctx.producer_meta, now_utc())
        for event in result.events:
            ctx.producer.send(event)
        ctx.producer.flush()
        env = {**os.environ, "TURING_DATA_DIR": str(root)}
        proc = subprocess.Popen([TURING, "projections", "run", "--once"], env=env, stdout=subprocess.DEVNULL)
        projected = 0
        deadline = time.monotonic() + 120
        with psycopg.connect(endpoints.dsn, autocommit=True) as conn:
            while time.monotonic() < deadline and proc.poll() is None:
                row = conn.execute(
                    "SELECT coalesce(sum(next_offset), 0) FROM proj.projector_offsets"
                ).fetchone()
                projected = int(row[0]) if row else 0
                if projected > 0:
                    break
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        assert 0 < projected < n, f"the kill must land mid-stream (projected {projected} of {n})"
        restarted = subprocess.run(
            [TURING, "projections", "run", "--once", "--json"], env=env, capture_output=True, text=True
        )
        assert restarted.returncode == 0, restarted.stderr
        assert queries.counts(endpoints.dsn)["postings"] == n
        clean = rebuild(endpoints.dsn, ctx.log_reader, ctx.codec, swap=False)
        assert clean.equal, (clean.checksum_live, clean.checksum_rebuilt)
        assert clean.events == n
    finally:
        ctx.close()
