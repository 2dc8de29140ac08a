"""Paging and typed bodies over what the pipeline and the matcher produced: runs, requirement
queries and ranked matches page without gaps or repeats, and rank counts across pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infra.api.app import create_app
from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.ingest_postings import ingest_postings
from infra.usecases.ingest_profiles import ingest_profiles
from projections.read import matches as match_reads
from projections.read import pipeline as pipeline_reads
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs
from tests.streams.test_matching_e2e import _wait_matches
from tests.tokens import bearer

pytestmark = pytest.mark.stack

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$")


@pytest.fixture(scope="module")
def client(module_stack: tuple[Path, Endpoints]) -> Iterator[TestClient]:
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    worker = start_worker(root)
    try:
        ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        wait_runs(ctx, rows(ctx, "SELECT count(*) AS n FROM proj.postings")[0]["n"])
        ingest_profiles(ctx, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
        _wait_matches(ctx, 10)
        auditor = bearer(ctx, "paging-tests", "auditor")
        with TestClient(create_app(endpoints), raise_server_exceptions=False, headers=auditor) as c:
            yield c
    finally:
        stop_worker(worker)
        ctx.close()


def walk(client: TestClient, url: str) -> tuple[list[dict[str, Any]], int]:
    """Every item, following `next`; the total must not change on the way."""
    items: list[dict[str, Any]] = []
    totals = set()
    next_url: str | None = url
    while next_url:
        answer = client.get(next_url)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        items += body["items"]
        totals.add(body["total"])
        next_url = body["next"]
    assert len(totals) == 1
    return items, totals.pop()


def test_runs_page_newest_first_without_gaps(client: TestClient) -> None:
    runs, total = walk(client, "/runs?limit=7")
    assert total == len(runs) == len({r["run_id"] for r in runs}) > 7
    started = [r["started_at"] for r in runs]
    assert started == sorted(started, reverse=True)
    assert all(TIMESTAMP.match(r["started_at"]) for r in runs)
    assert all(TIMESTAMP.match(r["finished_at"]) for r in runs if r["finished_at"])
    assert all(isinstance(r["model_config"], dict) for r in runs)
    completed = client.get("/runs", params={"status": "completed", "limit": 1}).json()
    assert completed["total"] == sum(r["status"] == "completed" for r in runs)


def test_requirement_queries_page_to_the_unpaged_answer(client: TestClient, module_stack) -> None:  # type: ignore[no-untyped-def]
    hits, total = walk(client, "/requirements?kind=licence&limit=1")
    unpaged = pipeline_reads.requiring(module_stack[1].dsn, kind="licence")
    assert total == len(hits) == len(unpaged) >= 1
    assert [(h["posting_id"], h["idx"]) for h in hits] == [(u["posting_id"], u["idx"]) for u in unpaged]
    assert all(h["proof_stack"]["certification"]["kind"] == "licence" for h in hits)


def test_ranked_matches_page_with_ranks_counted_across_pages(client: TestClient, module_stack) -> None:  # type: ignore[no-untyped-def]
    dsn = module_stack[1].dsn
    counts = rows_by_profile(dsn)
    profile = max(counts, key=lambda p: counts[p])
    assert counts[profile] >= 3
    whole = client.get(f"/profiles/{profile}/matches", params={"limit": 500}).json()
    paged, total = walk(client, f"/profiles/{profile}/matches?limit=2")
    assert total == whole["total"] == len(whole["items"]) == match_reads.count_matches(dsn, profile)
    assert [m["rank"] for m in paged] == list(range(1, total + 1))
    assert [m["posting_id"] for m in paged] == [m["posting_id"] for m in whole["items"]]
    second = client.get(f"/profiles/{profile}/matches", params={"limit": 2, "offset": 2}).json()
    assert [m["rank"] for m in second["items"]] == [3, 4][: max(0, total - 2)]
    with_blocked = client.get(f"/profiles/{profile}/matches", params={"include_blocked": "true"}).json()
    assert with_blocked["total"] >= total
    one = client.get(f"/matches/{profile}/{paged[0]['posting_id']}").json()
    assert one["fit"]["components"] and one["versions"]["match_event_id"]


def rows_by_profile(dsn: str) -> dict[str, int]:
    from projections import db

    with db.connect(dsn) as conn:
        found = conn.execute(
            "SELECT profile_id, count(*) AS n FROM proj.matches WHERE NOT blocked GROUP BY 1"
        )
        return {r["profile_id"]: r["n"] for r in found}


def test_derivations_and_a_derived_trace_are_typed(client: TestClient, module_stack) -> None:  # type: ignore[no-untyped-def]
    dsn = module_stack[1].dsn
    posting = pipeline_reads.requiring(dsn, kind="licence", limit=1)[0]["posting_id"]
    d = client.get(f"/postings/{posting}/derivation").json()
    assert d["version"] == 1 and d["requirements"][0]["proof_stacks"]
    versions = client.get(f"/postings/{posting}/derivations").json()
    assert versions["head"]["version"] == 1 and TIMESTAMP.match(versions["versions"][0]["created_at"])
    problem = client.get(f"/postings/{posting}/derivation", params={"version": 9})
    assert problem.status_code == 404 and "turing" not in problem.json()["detail"]
    trace = client.get(f"/trace/posting/{posting}/summary", params={"verify": "false"}).json()
    assert trace["decision"]["model"] and trace["run"]["reason"] and trace["verified"] is None
    assert all(TIMESTAMP.match(e["occurred_at"]) for e in [trace["event"], *trace["related"]])


def test_metrics_count_what_the_projection_holds_and_lag_comes_from_recorded_offsets(
    module_stack: tuple[Path, Endpoints], client: TestClient
) -> None:
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    _, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    try:
        url = f"{endpoints.api_url}/metrics"
        assert httpx.get(url, timeout=60).status_code == 401
        assert (
            httpx.get(
                url, headers=bearer(ctx, "someone", "candidate", profile_id="x"), timeout=60
            ).status_code
            == 403
        )
        answer = httpx.get(url, headers=bearer(ctx, "prometheus", "service"), timeout=60)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
        families = {f.name: f for f in text_string_to_metric_families(answer.text)}
        runs = {s.labels["status"]: s.value for s in families["turing_runs"].samples}
        by_status = {
            r["status"]: r["n"] for r in rows(ctx, "SELECT status, count(*) AS n FROM proj.runs GROUP BY 1")
        }
        assert runs == by_status and runs["completed"] > 0
        decided = sum(s.value for s in families["turing_decisions"].samples if s.name.endswith("_total"))
        assert decided == rows(ctx, "SELECT count(*) AS n FROM proj.decisions")[0]["n"]
        latency = [
            s for s in families["turing_decision_latency_seconds"].samples if s.name.endswith("_count")
        ]
        assert sum(s.value for s in latency) == decided
        projected = {s.labels["topic"]: s.value for s in families["turing_events_projected"].samples}
        assert (
            projected["postings"]
            == rows(ctx, "SELECT count(*) AS n FROM proj.audit_log WHERE topic='postings'")[0]["n"]
        )
        # The embedded broker's end offsets lie (a lag computed from them reads negative):
        # ours comes from recorded offsets, so it is never below zero, per consumer.
        lags = families["turing_consumer_lag"].samples
        assert {s.labels["consumer"] for s in lags} >= {"pipeline"}
        assert all(s.value >= 0 for s in lags)
        assert families["turing_projection_up"].samples[0].value == 1
    finally:
        ctx.close()
