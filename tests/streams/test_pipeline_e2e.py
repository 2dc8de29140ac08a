"""The pipeline end to end on the embedded stack: a real broker, Postgres, and the pipeline worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from infra.usecases.rollback import rollback_posting
from processors.pipeline.diff import diff
from processors.pipeline.events import reprocess_command, rollback_event, run_id_for
from projections import lineage
from projections.db import connect
from projections.read import pipeline as pipeline_reads
from projections.write.checksum import schema_checksum
from projections.write.rebuild import rebuild
from schemas.errors import Conflict
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs

pytestmark = pytest.mark.stack

# A posting of our own whose lines the two Lily rulesets read differently.
PROBE = {
    "id": "probe-nurse-1",
    "source": "tests",
    "title": "ICU Registered Nurse",
    "company": "Harbour General Hospital",
    "location": "Leeds, UK",
    "description": (
        "Harbour General is hiring an ICU nurse for our 50-bed intensive care unit.\n"
        "Requirements:\n- Registered Nurse (RN) licence required\n- 3+ years of relevant experience\n"
        "- BLS and ACLS certification\n- Excellent communication skills\n- MSc in Nursing is a plus\n"
        "Responsibilities:\n- Deliver patient care in a busy ICU\n- Mentor junior nurses\n"
        "About us: a friendly team that values kindness, learning and flexible shifts."
    ),
    "salary_min": 38000,
    "salary_max": 46000,
    "currency": "GBP",
    "work_model": "Onsite",
    "posted_at": "2026-10-01",
}


@pytest.fixture(scope="module")
def pipeline(module_stack) -> Iterator[tuple[Path, Context]]:  # type: ignore[no-untyped-def]
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    worker = start_worker(root)
    try:
        data = (SAMPLES / "postings.jsonl").read_bytes() + (json.dumps(PROBE) + "\n").encode()
        ingest_postings(ctx, "postings.jsonl", data)
        yield root, ctx
    finally:
        stop_worker(worker)
        ctx.close()


def _open_postings(ctx: Context) -> int:
    return rows(ctx, "SELECT count(*) AS n FROM proj.postings WHERE status = 'open'")[0]["n"]


def test_every_ingested_posting_gets_derivation_v1_with_proof_stacks(pipeline) -> None:
    _, ctx = pipeline
    n = _open_postings(ctx)
    runs = wait_runs(ctx, n)
    assert all(r["status"] == "completed" for r in runs), [
        r["error"] for r in runs if r["status"] != "completed"
    ]
    heads = rows(ctx, "SELECT posting_id, version FROM proj.derivations_latest")
    assert len(heads) == n and {h["version"] for h in heads} == {1}
    probe = pipeline_reads.derivation(ctx.endpoints.dsn, "probe-nurse-1", None)
    texts = [r["text"] for r in probe.requirements]
    assert any("Registered Nurse" in t for t in texts)
    licence = [
        s
        for r in probe.requirements
        for s in r["proof_stacks"]
        if (s.get("certification") or {}).get("kind") == "licence"
    ]
    assert licence, probe.requirements
    steps = {
        r["step"]
        for r in rows(ctx, "SELECT DISTINCT step FROM proj.decisions WHERE subject_id = %s", "probe-nurse-1")
    }
    assert {
        "extract_summary",
        "grade_summary",
        "extract_requirements",
        "lily",
        "map_skills",
        "red_flags",
        "ghost_score",
    } <= steps


def test_seed_query_patterns_are_answered_from_the_requirement_index(pipeline) -> None:
    _, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    licensed = pipeline_reads.requiring(ctx.endpoints.dsn, kind="licence")
    assert "probe-nurse-1" in {r["posting_id"] for r in licensed}
    senior = pipeline_reads.requiring(ctx.endpoints.dsn, min_years=3)
    assert senior and all(float(r["proof_stack"]["experience"]["value"]) >= 3 for r in senior)
    with connect(ctx.endpoints.dsn) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            r["QUERY PLAN"]
            for r in conn.execute(
                "EXPLAIN SELECT posting_id FROM proj.requirements WHERE proof_stack @> %s::jsonb",
                ('{"certification": {"kind": "licence"}}',),
            )
        )
    assert "requirements_proof_stack" in plan, plan


def test_reprocess_with_another_model_makes_v2_and_keeps_v1_then_rollback(pipeline) -> None:
    _, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    dsn = ctx.endpoints.dsn
    v1 = pipeline_reads.derivation(dsn, "probe-nurse-1", 1)
    command = reprocess_command(
        "probe-nurse-1", start_step="lily", overrides={"lily": "rules:rules-broad"}, reason="try the broad ruleset",
        requested_by="tests", priority=5, producer=ctx.producer_meta,
    )  # fmt: skip
    ctx.producer.send(command)
    ctx.producer.flush()
    run = wait_runs(ctx, 1, run_ids=[run_id_for(command)])[0]
    assert run["status"] == "completed", run["error"]
    assert run["derivation_version"] == 2 and run["start_step"] == "lily"
    v2 = pipeline_reads.derivation(dsn, "probe-nurse-1", None)
    assert v2.version == 2
    assert pipeline_reads.derivation(dsn, "probe-nurse-1", 1) == v1  # history untouched
    models = {
        r["model"]
        for r in rows(
            ctx,
            "SELECT DISTINCT model FROM proj.decisions WHERE subject_id = %s AND step = 'lily'",
            "probe-nurse-1",
        )
    }
    assert {"rules-1", "rules-broad"} <= models
    # steps before the start step were not re-run: v2's summary decision is v1's
    assert v2.summary == v1.summary
    changes = diff(v1, v2)["changes"]
    assert changes, "the broad ruleset should read at least one line differently"
    event = rollback_event("probe-nurse-1", v1, 2, "broad ruleset rejected", ctx.producer_meta)
    ctx.producer.send(event)
    ctx.producer.flush()
    ctx.catch_up()
    head = pipeline_reads.versions(dsn, "probe-nurse-1")["head"]
    assert head["version"] == 1 and head["rolled_back_from"] == 2
    assert pipeline_reads.derivation(dsn, "probe-nurse-1", 2).version == 2
    with pytest.raises(Conflict, match="version 1 of 'probe-nurse-1' is already in force"):
        rollback_posting(ctx, "probe-nurse-1", 1, "again")


def test_a_requirement_certification_traces_to_decision_run_and_posting_event(pipeline) -> None:
    _, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    d = pipeline_reads.derivation(ctx.endpoints.dsn, "probe-nurse-1", 1)
    idx = next(
        r["index"]
        for r in d.requirements
        if any((s.get("certification") or {}).get("kind") == "licence" for s in r["proof_stacks"])
    )
    trace = lineage.trace_posting(ctx.endpoints.dsn, "probe-nurse-1", f"requirements[{idx}].certification")
    values = trace["value"] if isinstance(trace["value"], list) else [trace["value"]]
    assert any(v and v["kind"] == "licence" for v in values)
    assert trace["decision"]["step"] == "lily" and trace["decision"]["engine"] == "rules"
    assert trace["run"]["reason"] in ("new posting", "try the broad ruleset")
    kinds = {e["topic"] for e in [trace["event"], *trace["causes"], *trace["related"]]}
    assert {"decisions", "commands", "postings", "derivations"} <= kinds
    verified = lineage.verify(trace, ctx.log_reader, ctx.codec)
    assert verified["verified"], verified["verification"]


def test_reprocess_from_the_start_with_the_same_models_reuses_decisions(pipeline) -> None:
    _, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    pid = rows(
        ctx,
        "SELECT posting_id FROM proj.postings WHERE status = 'open' AND posting_id <> 'probe-nurse-1' LIMIT 1",
    )[0]["posting_id"]
    command = reprocess_command(
        pid, start_step="extract_summary", overrides={}, reason="replay", requested_by="tests", priority=0,
        producer=ctx.producer_meta,
    )  # fmt: skip
    ctx.producer.send(command)
    ctx.producer.flush()
    run = wait_runs(ctx, 1, run_ids=[run_id_for(command)])[0]
    assert run["status"] == "completed"
    statuses = rows(ctx, "SELECT task, status FROM proj.decisions WHERE run_id = %s", run["run_id"])
    reused = [s for s in statuses if s["status"] == "reused"]
    # every deterministic step is reused; only the ghost score sees a new reference time
    assert {s["task"] for s in statuses if s["status"] != "reused"} <= {"ghost_score"}, statuses
    assert len(reused) >= 5


def test_rebuild_reproduces_the_pipeline_projections(pipeline) -> None:
    _, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    ctx.catch_up()
    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, swap=False)
    assert report.equal, (report.checksum_live, report.checksum_rebuilt)
    with connect(ctx.endpoints.dsn) as conn:
        assert schema_checksum(conn, "proj") == report.checksum_live


def test_the_api_serves_derivations_runs_and_requirement_queries(pipeline) -> None:
    import httpx

    _, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    api = ctx.endpoints.api_url
    from tests.tokens import bearer

    http = httpx.Client(headers=bearer(ctx, "pipeline-tests", "auditor"))
    d = http.get(f"{api}/postings/probe-nurse-1/derivation?version=1", timeout=10).json()
    assert d["version"] == 1 and d["requirements"]
    versions = http.get(f"{api}/postings/probe-nurse-1/derivations", timeout=10).json()
    assert [v["version"] for v in versions["versions"]][:1] == [1]
    found = http.get(f"{api}/requirements", params={"kind": "licence"}, timeout=10).json()["items"]
    assert "probe-nurse-1" in {r["posting_id"] for r in found}
    assert http.get(f"{api}/requirements", timeout=10).status_code == 422
    assert http.get(f"{api}/postings/nope/derivation", timeout=10).status_code == 404
    runs = http.get(f"{api}/runs", params={"posting_id": "probe-nurse-1"}, timeout=10).json()["items"]
    assert runs and all(r["posting_id"] == "probe-nurse-1" for r in runs)


def test_the_command_line_reprocesses_waits_lists_diffs_and_rolls_back(pipeline) -> None:
    from tests.infra.test_cli import run

    root, ctx = pipeline
    wait_runs(ctx, _open_postings(ctx))
    answer = json.loads(
        run(
            "reprocess",
            "--step",
            "red_flags",
            "--posting",
            "probe-nurse-1",
            "--reason",
            "cli check",
            "--json",
            data_dir=root,
        ).stdout
    )
    assert answer["commands"] == 1 and list(answer["runs"].values()) == ["completed"]
    runs = json.loads(run("runs", "--reason", "cli check", "--json", data_dir=root).stdout)
    assert len(runs) == 1 and runs[0]["start_step"] == "red_flags"
    version = runs[0]["derivation_version"]
    changes = json.loads(run("diff", "posting", "probe-nurse-1", "--json", data_dir=root).stdout)
    assert changes["to_version"] == version and changes["to_reason"] == "cli check"
    back = json.loads(
        run(
            "rollback", "posting", "probe-nurse-1", "--to", "1", "--reason", "cli", "--json", data_dir=root
        ).stdout
    )
    assert back["head"]["version"] == 1
    again = run("rollback", "posting", "probe-nurse-1", "--to", "1", data_dir=root, check=False)
    assert again.returncode == 1 and "already in force" in again.stderr
    missing = run("diff", "posting", "nope", data_dir=root, check=False)
    assert missing.returncode == 1 and "no derivation" in missing.stderr
