"""The quality loop on the embedded stack, one stack and one worker for the module: the jury
convened by the worker and on demand (traced and verified), feedback through the CLI and the
API (projected and rebuilt), QA sampling with a known extreme per dimension, review and a
remediation whose run carries the QA reason, and the eval report over all of it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from infra.cli.app import app
from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.ingest_postings import ingest_postings
from infra.usecases.ingest_profiles import ingest_profiles
from projections.write.rebuild import rebuild
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs
from tests.tokens import bearer

pytestmark = pytest.mark.stack
runner = CliRunner()
BAND = ("Worth a Look", "Stretch Opportunity")


def cli(root: Path, *args: str) -> Result:
    result = runner.invoke(app, [*args, "--data-dir", str(root)], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    return result


def cli_json(root: Path, *args: str) -> Any:
    result = cli(root, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _until(
    ctx: Context, query: str, at_least: int, timeout: float = 180.0, *args: Any
) -> list[dict[str, Any]]:
    deadline, found = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        ctx.catch_up()
        found = rows(ctx, query, *args)
        if len(found) >= at_least:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{len(found)} rows of {query!r} after {timeout}s, wanted {at_least}")


@pytest.fixture(scope="module")
def stack(module_stack: tuple[Path, Endpoints]) -> Iterator[tuple[Path, Context]]:
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    worker = start_worker(root)
    try:
        ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        wait_runs(ctx, rows(ctx, "SELECT count(*) AS n FROM proj.postings")[0]["n"])
        ingest_profiles(ctx, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
        _until(ctx, "SELECT 1 FROM proj.matches", 10)
        borderline = _until(
            ctx, "SELECT * FROM proj.matches WHERE recommendation = ANY(%s)", 1, 60, list(BAND)
        )
        _until(ctx, "SELECT 1 FROM proj.jury_verdicts", len(borderline), 120)
        yield root, ctx
    finally:
        stop_worker(worker)
        ctx.close()


def _borderline(ctx: Context) -> dict[str, Any]:
    found = rows(ctx, "SELECT * FROM proj.matches WHERE recommendation = ANY(%s) ORDER BY profile_id, posting_id",
                 list(BAND))  # fmt: skip
    assert found
    return found[0]


def test_the_worker_convenes_the_jury_for_borderline_matches_only(stack: tuple[Path, Context]) -> None:
    _, ctx = stack
    ctx.catch_up()
    matches = rows(ctx, "SELECT event_id::text AS id, recommendation FROM proj.matches")
    verdicts = {r["match_event_id"]: r for r in rows(ctx, "SELECT * FROM proj.jury_verdicts")}
    for m in matches:
        assert (m["id"] in verdicts) == (m["recommendation"] in BAND), m
    some = next(iter(verdicts.values()))
    assert some["verdict"] in ("apply", "apply_address_gap", "skip") and some["reasons"]
    members = rows(ctx, "SELECT task, engine, model, prompt_hash, input_hash, input_event_ids FROM proj.decisions "
                        "WHERE step = 'jury' AND %s = ANY(input_event_ids)", some["match_event_id"])  # fmt: skip
    assert sorted(d["task"] for d in members) == ["jury_helen", "jury_oscar", "jury_rita"]
    assert all(d["engine"] == "rules" and len(d["prompt_hash"]) == 64 and d["input_hash"] for d in members)


def test_jury_verdict_traces_to_three_decisions_and_the_match_and_verifies(
    stack: tuple[Path, Context],
) -> None:
    root, ctx = stack
    m = _borderline(ctx)
    trace = cli_json(root, "trace", "match", m["profile_id"], m["posting_id"], "jury.verdict", "--verify")
    assert trace["verified"] is True
    assert trace["event"]["topic"] == "decisions" and trace["event"]["producer"]["component"] == "jury"
    assert trace["causes"][0]["event_id"] == str(m["event_id"])  # Helen read the match ...
    roles = {r["role"] for r in trace["related"]}
    assert {"Oscar (for)", "Rita (gaps)"} <= roles  # ... and both members' decisions
    assert any(r["role"].startswith("derivation version") for r in trace["related"])
    assert trace["value"] in ("apply", "apply_address_gap", "skip")
    # The match as the API serves it carries the same verdict and the three decisions.
    auditor = bearer(ctx, "audit-jury", "auditor")
    one = httpx.get(
        f"{ctx.endpoints.api_url}/matches/{m['profile_id']}/{m['posting_id']}", headers=auditor, timeout=30
    ).json()
    assert one["jury"]["verdict"] == trace["value"] and len(one["jury"]["decision_ids"]) == 3
    assert trace["event"]["event_id"] in one["jury"]["decision_ids"]


def test_jury_run_on_demand_reuses_an_unchanged_match_and_sits_for_any_match(
    stack: tuple[Path, Context],
) -> None:
    root, ctx = stack
    m = _borderline(ctx)
    before = rows(ctx, "SELECT count(*) AS n FROM proj.decisions WHERE step = 'jury'")[0]["n"]
    again = cli_json(root, "jury", "run", "--profile", m["profile_id"], "--posting", m["posting_id"])
    assert rows(ctx, "SELECT count(*) AS n FROM proj.decisions WHERE step = 'jury'")[0]["n"] == before
    assert len(again["decisions"]) == 3 and again["match_event_id"] == str(m["event_id"])
    other = rows(ctx, "SELECT * FROM proj.matches WHERE NOT (recommendation = ANY(%s)) AND NOT blocked LIMIT 1",
                 list(BAND))  # fmt: skip
    if other:
        o = other[0]
        sat = cli_json(root, "jury", "run", "--profile", o["profile_id"], "--posting", o["posting_id"])
        assert sat["verdict"] in ("apply", "apply_address_gap", "skip")
    missing = cli(root, "jury", "run", "--profile", "nobody", "--posting", "nothing")
    assert missing.exit_code == 1 and "no match" in missing.output


def test_feedback_through_cli_and_api_is_classified_projected_and_rebuilt(
    stack: tuple[Path, Context],
) -> None:
    root, ctx = stack
    m = _borderline(ctx)
    given = cli_json(root, "feedback", "add", "--profile", m["profile_id"], "--posting", m["posting_id"],
                     "--verdict", "wrong", "--reason", "The salary is far below what I earn now")  # fmt: skip
    assert (given["category"], given["component"]) == ("salary", "practical.compensation")
    assert given["match_event_id"] == str(m["event_id"]) and len(given["decision_ids"]) == 3
    assert (given["profile_version"], given["derivation_version"]) == (
        m["profile_version"],
        m["derivation_version"],
    )
    headers = bearer(ctx, "svc-quality", "service")
    body = {"profile_id": m["profile_id"], "posting_id": m["posting_id"], "verdict": "right",
            "reason": "You read my Kubernetes years well", "component": "fit.experience"}  # fmt: skip
    api = ctx.endpoints.api_url
    answer = httpx.post(f"{api}/feedback", json=body, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["category"] == "experience_misjudged" and answer.json()["author"] == "svc-quality"
    assert httpx.post(f"{api}/feedback", json=body, timeout=30).status_code == 401
    auditor = bearer(ctx, "audit-quality", "auditor")
    assert httpx.post(f"{api}/feedback", json=body, headers=auditor, timeout=30).status_code == 403
    other = bearer(ctx, "someone-else", "candidate", profile_id="pr-nobody")
    assert httpx.post(f"{api}/feedback", json=body, headers=other, timeout=30).status_code == 403
    own = bearer(ctx, "me", "candidate", profile_id=m["profile_id"])
    mine = httpx.post(
        f"{api}/feedback", json={**body, "reason": "the commute is 90 km"}, headers=own, timeout=30
    )
    assert mine.status_code == 200 and mine.json()["category"] == "location"
    gone = httpx.post(f"{api}/feedback", json={**body, "posting_id": "no-such"}, headers=headers, timeout=30)
    assert gone.status_code == 404
    bad = httpx.post(f"{api}/feedback", json={**body, "verdict": "maybe"}, headers=headers, timeout=30)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    listed = cli_json(root, "feedback", "list")
    assert {f["event_id"] for f in listed} >= {given["event_id"], answer.json()["event_id"]}
    bad_verdict = cli(
        root, "feedback", "add", "--profile", "p", "--posting", "q", "--verdict", "meh", "--reason", "x"
    )
    assert bad_verdict.exit_code == 2
    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, swap=False)
    assert report.equal, report


def test_qa_sampling_finds_the_known_extremes_then_review_and_remediate(stack: tuple[Path, Context]) -> None:
    root, ctx = stack
    drawn = cli_json(root, "qa", "sample", "--target", "summary", "--per-dimension", "1")
    dims = {f["dimension"]: f for f in drawn}
    assert {"longest", "shortest", "slowest", "fastest", "random"} <= set(dims)
    outputs = rows(ctx, "SELECT event_id::text AS id, length(output->>'summary') AS n, latency_ms FROM proj.decisions "
                        "WHERE task IN ('extract_summary', 'improve_summary') AND status = 'ok'")  # fmt: skip
    assert len(dims["longest"]["ref_id"]) and dims["longest"]["value"] == max(o["n"] for o in outputs)
    assert dims["shortest"]["value"] == min(o["n"] for o in outputs)
    assert dims["slowest"]["value"] == pytest.approx(max(o["latency_ms"] for o in outputs), abs=1e-3)
    assert dims["fastest"]["value"] == pytest.approx(min(o["latency_ms"] for o in outputs), abs=1e-3)
    if "most_similar" in dims:
        assert dims["most_similar"]["similarity"] is not None and dims["most_similar"]["other_ref_id"]
    again = cli_json(root, "qa", "sample", "--target", "summary", "--per-dimension", "1")
    assert {f["finding_id"] for f in again} == {f["finding_id"] for f in drawn}  # stable ids, no duplicates
    assert len(cli_json(root, "qa", "findings", "--status", "open")) == len(drawn)
    short = dims["shortest"]["short_id"]
    reviewed = cli_json(root, "qa", "review", short, "--verdict", "issue", "--note", "reads truncated")
    assert reviewed["status"] == "issue" and reviewed["review_note"] == "reads truncated"
    assert [f["short_id"] for f in cli_json(root, "qa", "findings", "--status", "issue")] == [short]
    fixed = cli_json(root, "qa", "remediate", short, "--timeout", "240")
    assert fixed["status"] == "completed" and fixed["reason"] == f"QA finding #{short}"
    assert fixed["step"] == "extract_summary"
    runs = cli_json(root, "runs", "--reason", f"QA finding #{short}")
    listed = runs["items"] if isinstance(runs, dict) else runs
    assert [r["run_id"] for r in listed] == [fixed["run_id"]]
    derivation = rows(ctx, "SELECT reason, version FROM proj.derivations WHERE run_id = %s", fixed["run_id"])
    assert derivation and derivation[0]["reason"] == f"QA finding #{short}"
    trace = cli_json(root, "trace", "posting", dims["shortest"]["posting_id"], "summary")
    assert any(c.get("event_type") == "command.reprocess" for c in trace["causes"])
    assert cli_json(root, "qa", "findings", "--status", "remediated")[0]["short_id"] == short
    for target in ("requirements", "lily", "match"):
        found = cli_json(root, "qa", "sample", "--target", target, "--per-dimension", "1")
        assert found and {f["target"] for f in found} == {target}
    match_finding = next(f for f in cli_json(root, "qa", "findings") if f["target"] == "match")
    refused = cli(root, "qa", "remediate", match_finding["short_id"])
    assert refused.exit_code == 1 and "no pipeline step" in refused.output
    assert cli(root, "qa", "review", "zzzzzzzz", "--verdict", "ok", "--note", "x").exit_code == 1


def test_eval_report_closes_the_loop(stack: tuple[Path, Context]) -> None:
    root, _ = stack
    report = cli_json(root, "eval", "report")
    assert report["feedback"] >= 2 and report["engines"]
    assert sum(e["feedback"] for e in report["engines"]) == report["feedback"]
    assert report["jury"] and report["jury"][0]["config"] == "rules:jury-rules-1"
    summary = [q for q in report["qa"] if q["target"] == "summary"]
    assert sum(q["remediated"] for q in summary) >= 1 and sum(q["issue"] for q in summary) >= 1
    assert report["most_disputed"][0]["wrong"] >= 1
    later = cli_json(root, "eval", "report", "--since", "2999-01-01")
    assert later["feedback"] == 0 and later["qa"] == []
    shown = cli(root, "eval", "report")
    assert shown.exit_code == 0 and "matches against feedback" in shown.stdout


def test_an_unchanged_rescore_reuses_the_jury_instead_of_reconvening(stack: tuple[Path, Context]) -> None:
    _, ctx = stack
    m = _borderline(ctx)
    from projections import db
    from projections.read import quality as quality_reads
    from schemas.models import deterministic_id

    with db.connect(ctx.endpoints.dsn) as conn:
        event = quality_reads.match_event(conn, ctx.schema, m["profile_id"], m["posting_id"])
    assert event is not None
    # The same scores under a new match event, as a rescore with nothing changed would emit.
    again = event.model_copy(
        update={"meta": event.meta.model_copy(update={"event_id": deterministic_id("rescore", event.meta.event_id)}),
                "supersedes": str(event.meta.event_id)}
    )  # fmt: skip
    ctx.producer.send(again)
    ctx.producer.flush()
    seats = _until(ctx, "SELECT status, reused_decision_id FROM proj.decisions WHERE step = 'jury' AND "
                        "%s = ANY(input_event_ids)", 3, 120, str(again.meta.event_id))  # fmt: skip
    assert [s["status"] for s in seats] == ["reused"] * 3
    first = rows(ctx, "SELECT event_id::text AS id FROM proj.decisions WHERE step = 'jury' AND %s = ANY(input_event_ids)",
                 str(event.meta.event_id))  # fmt: skip
    assert {s["reused_decision_id"] for s in seats} == {f["id"] for f in first}
    verdict = _until(ctx, "SELECT verdict FROM proj.jury_verdicts WHERE match_event_id = %s", 1, 30,
                     str(again.meta.event_id))  # fmt: skip
    assert verdict[0]["verdict"] in ("apply", "apply_address_gap", "skip")
    ctx.producer.send(again)  # a re-delivery of the same match: nothing new
    ctx.producer.flush()
    time.sleep(3)
    ctx.catch_up()
    count = "SELECT count(*) AS n FROM proj.decisions WHERE step = 'jury' AND %s = ANY(input_event_ids)"
    assert rows(ctx, count, str(again.meta.event_id))[0]["n"] == 3
