"""Access control on the real stack (issue 13): 401 without a good token, 403 for the wrong
resource, the stage as recorded state that a parameter can only narrow, posting reads redacted
per viewer, and every sensitive read logged by the token's viewer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from infra.api.app import create_app
from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.access import issue_token, revoke_token
from infra.usecases.ingest_postings import ingest_postings
from infra.usecases.ingest_profiles import ingest_profiles
from processors.matching.match import PostingVersion, ProfileVersion, match_event
from processors.scoring.config import DEFAULT
from processors.scoring.from_posting import derived_posting
from processors.scoring.models import Profile
from processors.scoring.score import score
from processors.sensitive.access import Role, Viewer
from processors.taxonomy.store import builtin
from schemas.models import PostingContent
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import rows
from tests.tokens import bearer

pytestmark = pytest.mark.stack

PROFILE, POSTING, OWNER = "pr-amara-okafor", "gh-brightloom-7731", "Brightloom Analytics, Inc."
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def ctx(module_stack: tuple[Any, Endpoints]) -> Iterator[Context]:
    _, endpoints = module_stack
    c = Context(endpoints, component="tests")
    try:
        seed_samples_with_a_match(c)
        yield c
    finally:
        c.close()


def seed_samples_with_a_match(ctx: Context) -> None:
    """The sample postings and profiles, and the matcher's event for PROFILE and POSTING, projected."""
    ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
    ingest_profiles(ctx, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
    ctx.producer.send(_scored_match(ctx))
    ctx.producer.flush()
    ctx.catch_up()


def _scored_match(ctx: Context) -> Any:
    """The matcher's own event for one pair, the profile's minimum raised above the budget so that
    the explanation and a suggestion quote the hidden salary_max."""
    posting = rows(ctx, "SELECT * FROM proj.postings WHERE posting_id = %s", POSTING)[0]
    content = PostingContent.model_validate({k: posting[k] for k in PostingContent.model_fields})
    assert content.salary_max is not None
    q = PostingVersion(
        POSTING, 1, str(posting["last_event_id"]), derived_posting(POSTING, content, [], None, builtin())
    )
    prof = rows(ctx, "SELECT document, last_event_id FROM proj.profiles WHERE profile_id = %s", PROFILE)[0]
    doc = dict(prof["document"])
    doc["non_negotiables"] = {
        **doc.get("non_negotiables", {}),
        "minimum_base_salary": content.salary_max + 5000,
    }
    p = ProfileVersion(PROFILE, 1, str(prof["last_event_id"]), Profile.model_validate(doc))
    return match_event(p, q, score(p.profile, q.posting, DEFAULT, taxonomy=builtin()), None, "test")


@pytest.fixture(scope="module")
def api(ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(ctx.endpoints), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def who(ctx: Context) -> dict[str, dict[str, str]]:
    return {
        "amara": bearer(ctx, "amara", Role.CANDIDATE, profile_id=PROFILE),
        "siobhan": bearer(ctx, "siobhan", Role.CANDIDATE, profile_id="pr-siobhan-kelly"),
        "brightloom": bearer(ctx, "hr@brightloom", Role.EMPLOYER, posting_owner=OWNER),
        "rival": bearer(ctx, "hr@rival", Role.EMPLOYER, posting_owner="Rival Corp"),
        "auditor": bearer(ctx, "audit-1", Role.AUDITOR),
        "service": bearer(ctx, "matches-product", Role.SERVICE),
    }


def problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["detail"]
    return body


ROUTES = [
    "/postings",
    f"/postings/{POSTING}",
    f"/postings/{POSTING}/derivation",
    f"/postings/{POSTING}/derivations",
    f"/trace/posting/{POSTING}/salary_max",
    "/runs",
    "/requirements?kind=licence",
    f"/profiles/{PROFILE}/matches",
    f"/matches/{PROFILE}/{POSTING}",
]


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_but_health_needs_a_live_token(api: TestClient, ctx: Context, route: str) -> None:
    problem(api.get(route), 401)
    assert api.get(route).headers["www-authenticate"].startswith("Bearer")
    problem(api.get(route, headers={"Authorization": "Bearer tu_not-a-token"}), 401)
    problem(api.get(route, headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401)
    assert api.get("/health").status_code == 200


def test_revoked_and_expired_tokens_are_refused(api: TestClient, ctx: Context) -> None:
    issued = issue_token(ctx, Viewer(viewer="temp", role=Role.AUDITOR))
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert api.get("/postings", headers=headers).status_code == 200
    revoke_token(ctx, issued.token_id)
    problem(api.get("/postings", headers=headers), 401)
    old = issue_token(ctx, Viewer(viewer="temp", role=Role.AUDITOR), expires_in=timedelta(seconds=-1))
    problem(api.get("/postings", headers={"Authorization": f"Bearer {old.token}"}), 401)
    stored = rows(ctx, "SELECT token_sha256 FROM proj.api_tokens WHERE token_id = %s", issued.token_id)[0]
    assert issued.token not in json.dumps(
        rows(ctx, "SELECT record FROM proj.audit_log WHERE topic = 'tokens'")
    )
    assert stored["token_sha256"] != issued.token and len(stored["token_sha256"]) == 64


def test_right_token_wrong_resource_is_403(api: TestClient, who: dict[str, dict[str, str]]) -> None:
    problem(api.get(f"/profiles/{PROFILE}/matches", headers=who["siobhan"]), 403)
    problem(api.get(f"/matches/{PROFILE}/{POSTING}", headers=who["siobhan"]), 403)
    problem(api.get(f"/matches/{PROFILE}/{POSTING}", headers=who["rival"]), 403)
    problem(api.get(f"/profiles/{PROFILE}/matches", headers=who["brightloom"]), 403)
    assert api.get(f"/matches/{PROFILE}/{POSTING}", headers=who["brightloom"]).status_code == 200
    assert api.get(f"/profiles/{PROFILE}/matches", headers=who["amara"]).status_code == 200
    assert api.get(f"/profiles/{PROFILE}/matches", headers=who["service"]).status_code == 200


def _salaries(ctx: Context) -> tuple[float, float]:
    r = rows(ctx, "SELECT salary_min, salary_max FROM proj.postings WHERE posting_id = %s", POSTING)[0]
    return float(r["salary_min"]), float(r["salary_max"])


def _spellings(value: float) -> list[str]:
    n = int(value)
    return [str(n), f"{n:,}", f"{n // 1000}k"]


def test_stage_is_recorded_state_and_a_parameter_only_narrows_it(
    api: TestClient, ctx: Context, who: dict[str, dict[str, str]]
) -> None:
    low, high = _salaries(ctx)
    url = f"/matches/{PROFILE}/{POSTING}"
    asked = api.get(url, params={"stage": "conversation_started"}, headers=who["amara"]).json()
    assert asked["stage"] == "discovery" and asked["posting"]["salary_min"] != low
    assert asked["posting"]["salary_max"] == "Competitive salary"
    assert not any(s in json.dumps(asked) for v in (low, high) for s in _spellings(v))
    stage = f"{url}/stage"
    # the employer cannot reciprocate an interest nobody declared; the candidate cannot skip ahead
    problem(api.post(stage, json={"to": "mutual_interest"}, headers=who["brightloom"]), 409)
    problem(api.post(stage, json={"to": "mutual_interest"}, headers=who["amara"]), 409)
    problem(api.post(stage, json={"to": "candidate_interested"}, headers=who["siobhan"]), 403)
    problem(api.post(stage, json={"to": "candidate_interested"}, headers=who["auditor"]), 403)
    assert api.post(stage, json={"to": "candidate_interested"}, headers=who["amara"]).status_code == 200
    ctx.catch_up()
    problem(api.post(stage, json={"to": "mutual_interest"}, headers=who["rival"]), 403)
    assert api.post(stage, json={"to": "mutual_interest"}, headers=who["brightloom"]).status_code == 200
    ctx.catch_up()
    shown = api.get(url, headers=who["amara"]).json()
    assert shown["stage"] == "mutual_interest" and shown["posting"]["salary_min"] == low
    assert shown["posting"]["salary_max"] == "Competitive salary"
    assert not any(s in json.dumps(shown) for s in _spellings(high))
    narrowed = api.get(url, params={"stage": "discovery"}, headers=who["amara"]).json()
    assert narrowed["stage"] == "discovery" and narrowed["posting"]["salary_min"] != low
    audited = api.get(url, headers=who["auditor"]).json()
    assert audited["posting"]["salary_max"] == high
    assert any(f"{int(high):,}" in s["rationale"] for s in audited["suggestions"])
    history = rows(ctx, "SELECT actor, actor_role, to_stage FROM proj.stage_history ORDER BY occurred_at")
    assert [(h["actor"], h["to_stage"]) for h in history][-2:] == [
        ("amara", "candidate_interested"),
        ("hr@brightloom", "mutual_interest"),
    ]


def test_posting_reads_obey_the_rules_per_viewer(
    api: TestClient, ctx: Context, who: dict[str, dict[str, str]]
) -> None:
    _, high = _salaries(ctx)
    listed = api.get("/postings", params={"limit": 1000}, headers=who["service"]).json()["items"]
    with_budget = [p for p in listed if p["salary_max"] is not None]
    assert with_budget and all(p["salary_max"] == "Competitive salary" for p in with_budget)
    own = api.get(f"/postings/{POSTING}", headers=who["brightloom"]).json()
    assert own["salary_max"] == high
    assert api.get(f"/postings/{POSTING}", headers=who["rival"]).json()["salary_max"] == "Competitive salary"
    trace = f"/trace/posting/{POSTING}/salary_max"
    assert (
        api.get(trace, params={"verify": "false"}, headers=who["amara"]).json()["value"]
        == "Competitive salary"
    )
    assert api.get(trace, params={"verify": "false"}, headers=who["auditor"]).json()["value"] == high


def test_access_events_are_keyed_and_attributed_by_the_viewer(
    api: TestClient, ctx: Context, who: dict[str, dict[str, str]]
) -> None:
    api.get(f"/profiles/{PROFILE}/matches", headers=who["amara"])
    api.get(f"/matches/{PROFILE}/{POSTING}", headers=who["auditor"])
    ctx.catch_up()
    logged = rows(ctx, "SELECT key, record FROM proj.audit_log WHERE topic = 'access'")
    assert logged and all(r["key"] == r["record"]["viewer_id"] for r in logged)
    reads = rows(ctx, "SELECT viewer, role, profile_id, field, stage, purpose FROM proj.access_reads")
    mine = [r for r in reads if r["viewer"] == "amara"]
    assert (
        mine and {r["role"] for r in mine} == {"candidate"} and {r["profile_id"] for r in mine} == {PROFILE}
    )
    audits = [r for r in reads if r["viewer"] == "audit-1"]
    assert (
        audits
        and {r["role"] for r in audits} == {"auditor"}
        and {"salary_max", "salary_min"} <= {r["field"] for r in audits}
    )


def test_an_employer_reads_the_candidates_of_its_own_postings_only(
    api: TestClient, ctx: Context, who: dict[str, dict[str, str]]
) -> None:
    _, high = _salaries(ctx)
    url = f"/postings/{POSTING}/matches?include_blocked=true"  # the raised minimum blocks the pair
    assert api.get(f"/postings/{POSTING}/matches", headers=who["brightloom"]).json()["total"] == 0
    page = api.get(url, headers=who["brightloom"]).json()
    assert [(m["rank"], m["profile_id"]) for m in page["items"]] == [(1, PROFILE)] and page["total"] == 1
    assert page["items"][0]["posting"]["salary_max"] == high  # its own posting, whole
    problem(api.get(url, headers=who["rival"]), 403)
    problem(api.get(url, headers=who["amara"]), 403)
    problem(api.get("/postings/no-such/matches", headers=who["auditor"]), 404)
    served = api.get(url, headers=who["service"]).json()["items"][0]
    assert served["posting"]["salary_max"] == "Competitive salary"
    ctx.catch_up()
    reads = rows(
        ctx,
        "SELECT profile_id, revealed, reason FROM proj.access_reads WHERE viewer = 'hr@brightloom' AND purpose = 'match'",
    )
    assert reads and all(r["profile_id"] == PROFILE and r["revealed"] for r in reads)
    assert {r["reason"] for r in reads} == {"full_view"}
