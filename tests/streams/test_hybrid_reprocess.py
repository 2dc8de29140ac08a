"""`turing reprocess --step lily --model lily=rules:hybrid-1` on the embedded stack: the worker
binds the ESCO linker, the new derivation's skills carry the linker's mentions, and
`turing diff` shows what changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from projections.read import pipeline as pipeline_reads
from tests.conftest import SAMPLES
from tests.infra.test_cli import run
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs

pytestmark = pytest.mark.stack

PROBE = {
    "id": "probe-hybrid-1",
    "source": "tests",
    "title": "Backend Developer",
    "company": "Harbour Software",
    "location": "Leeds, UK",
    "description": (
        "We build booking software for clinics.\nRequirements:\n- 5+ years of Python development experience\n"
        "- Proficiency in Go or Java\n- Fluent German required\n- Experience managing staff\n"
        "Responsibilities:\n- Build and run our booking services\n"
    ),
    "posted_at": "2026-10-01",
}


@pytest.fixture(scope="module")
def pipeline(module_stack) -> Iterator[tuple[Path, Context]]:  # type: ignore[no-untyped-def]
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    worker = start_worker(root, "worker-hybrid.log")
    try:
        few = b"".join((SAMPLES / "postings.jsonl").read_bytes().splitlines(keepends=True)[:2])
        ingest_postings(ctx, "postings.jsonl", few + (json.dumps(PROBE) + "\n").encode())
        yield root, ctx
    finally:
        stop_worker(worker)
        ctx.close()


def test_reprocess_with_hybrid_1_links_skills_and_the_diff_shows_it(pipeline) -> None:
    root, ctx = pipeline
    n = rows(ctx, "SELECT count(*) AS n FROM proj.postings WHERE status = 'open'")[0]["n"]
    assert n == 3
    first = wait_runs(ctx, n)
    assert all(r["status"] == "completed" for r in first), [r["error"] for r in first]
    args = ["reprocess", "--step", "lily", "--model", "lily=rules:hybrid-1", "--posting", PROBE["id"]]
    answer = json.loads(run(*args, "--reason", "hybrid check", "--json", data_dir=root).stdout)
    assert list(answer["runs"].values()) == ["completed"], answer
    v2 = pipeline_reads.derivation(ctx.endpoints.dsn, PROBE["id"], None)
    assert v2 is not None and v2.version == 2
    skills = [s["skill"] for r in v2.requirements for s in r["proof_stacks"] if s.get("skill")]
    mentions = {s["mention"]["text"] for s in skills if s.get("mention")}
    assert {"Python", "Go", "German"} <= mentions, skills
    assert any(s.get("uri", "").startswith("http://data.europa.eu/esco/skill/") for s in skills)
    models = {r["model"] for r in rows(ctx, "SELECT DISTINCT model FROM proj.decisions "
                                            "WHERE subject_id = %s AND step = 'lily'", PROBE["id"])}  # fmt: skip
    hybrid = [m for m in models if m.startswith("hybrid-1@linker/1:esco-1.2.0#")]
    assert "rules-1" in models and len(hybrid) == 1, models
    changes = json.loads(run("diff", "posting", PROBE["id"], "--json", data_dir=root).stdout)
    assert changes["to_version"] == 2 and changes["changes"], changes
    assert "Python (computer programming)" in json.dumps(changes["changes"])
