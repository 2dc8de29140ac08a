"""The HTTP contract on ingested postings and profiles: paging, validated filters, 404 for unknown
parents, one problem+json error shape, typed OpenAPI, offline docs, one timestamp format, and no
5xx on bad input (through TestClient and through the stack's own uvicorn server)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CONTENT_TYPE_LATEST

from infra.api.app import create_app, embedded_registry_users
from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.ingest_postings import ingest_postings
from infra.usecases.ingest_profiles import ingest_profiles
from projections.read import postings as queries
from tests.conftest import SAMPLES
from tests.tokens import bearer

pytestmark = pytest.mark.stack

PROBLEM = "application/problem+json"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$")


@pytest.fixture(scope="module")
def stack(module_stack: tuple[Any, Endpoints]) -> Iterator[Endpoints]:
    _, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    try:
        ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        ingest_postings(ctx, "postings_update.jsonl", (SAMPLES / "postings_update.jsonl").read_bytes())
        ingest_profiles(ctx, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
        yield endpoints
    finally:
        ctx.close()


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def auditor(stack: Endpoints) -> dict[str, str]:
    ctx = Context(stack, component="tests")
    try:
        return bearer(ctx, "contract-tests", "auditor")
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def client(stack: Endpoints, auditor: dict[str, str]) -> Iterator[TestClient]:
    """The API as an auditor sees it (every value), registry mounted."""
    app = create_app(stack, embedded_registry_users(stack))
    with TestClient(app, raise_server_exceptions=False, headers=auditor) as c:
        yield c


@pytest.fixture(scope="module")
def registry(stack: Endpoints) -> Iterator[TestClient]:
    users = embedded_registry_users(stack)
    ((user, password),) = users.items()
    app = create_app(stack, users)
    with TestClient(app, raise_server_exceptions=False, headers=_basic(user, password)) as c:
        yield c


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"] and body["instance"].startswith("/")
    assert "turing " not in body["detail"], "API errors give no CLI advice"
    return body


def test_postings_page_through_every_posting_with_next_links(client: TestClient) -> None:
    first = client.get("/postings", params={"limit": 10}).json()
    total = first["total"]
    assert total == 36 and len(first["items"]) == 10 and first["offset"] == 0 and first["limit"] == 10
    assert first["next"] == "/postings?limit=10&offset=10"
    seen, url = [], "/postings?limit=10"
    while url:
        body = client.get(url).json()
        seen += [p["posting_id"] for p in body["items"]]
        url = body["next"]
    assert seen == sorted(seen) and len(set(seen)) == total
    eleventh = client.get("/postings", params={"offset": 10, "limit": 1}).json()
    assert [p["posting_id"] for p in eleventh["items"]] == [seen[10]]
    past = client.get("/postings", params={"offset": 500}).json()
    assert past["items"] == [] and past["total"] == total and past["next"] is None


def test_filters_are_kept_in_next_links_and_paging_past_the_cap_is_explicit(client: TestClient) -> None:
    body = client.get("/postings", params={"status": "open", "limit": 5}).json()
    assert body["total"] == 36 and all(p["status"] == "open" for p in body["items"])
    assert body["next"] == "/postings?status=open&limit=5&offset=5"
    over = problem(client.get("/postings", params={"limit": 1001}), 422)
    assert over["errors"][0]["loc"] == ["query", "limit"] and "1000" in over["errors"][0]["msg"]
    assert problem(client.get("/postings", params={"offset": -1}), 422)["errors"][0]["loc"] == [
        "query",
        "offset",
    ]


@pytest.mark.parametrize(
    ("url", "param", "allowed"),
    [
        ("/postings?status=closed", "status", ["open", "withdrawn"]),
        ("/runs?status=done", "status", ["started", "completed", "failed"]),
        ("/requirements?kind=diploma", "kind", ["degree", "licence", "certificate", "clearance"]),
        (
            "/profiles/pr-amara-okafor/matches?stage=later",
            "stage",
            ["discovery", "candidate_interested", "mutual_interest", "conversation_started"],
        ),
    ],
)
def test_enum_filters_name_the_allowed_values(
    client: TestClient, url: str, param: str, allowed: list[str]
) -> None:
    body = problem(client.get(url), 422)
    assert body["errors"][0]["loc"] == ["query", param]
    assert all(f"'{value}'" in body["detail"] for value in allowed), body["detail"]


@pytest.mark.parametrize(
    "url",
    ["/postings?limt=5", "/runs?posting=x", "/health?verbose=1", "/profiles/pr-amara-okafor/matches?page=2"],
)
def test_unknown_query_parameters_are_refused(client: TestClient, url: str) -> None:
    body = problem(client.get(url), 422)
    assert body["errors"][0]["type"] == "extra_forbidden"
    assert body["errors"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "url",
    [
        "/postings/no-such",
        "/postings/no-such/derivation",
        "/postings/no-such/derivations",
        "/profiles/no-such/matches",
        "/matches/no-such/no-such",
        "/trace/posting/no-such/x",
        "/trace/posting/no-such/title",
        "/no/such/route",
    ],
)
def test_unknown_resources_are_404_problems(client: TestClient, url: str) -> None:
    body = problem(client.get(url), 404)
    assert body["instance"] == url


def test_a_known_parent_without_children_is_an_empty_answer(client: TestClient) -> None:
    posting = client.get("/postings", params={"limit": 1}).json()["items"][0]["posting_id"]
    assert client.get(f"/postings/{posting}/derivations").json() == {"versions": [], "head": None}
    problem(client.get(f"/postings/{posting}/derivation"), 404)
    matches = client.get("/profiles/pr-amara-okafor/matches").json()
    assert matches == {"items": [], "total": 0, "limit": 20, "offset": 0, "next": None}
    assert client.get("/runs").json()["total"] == 0
    assert client.get("/requirements", params={"kind": "licence"}).json()["items"] == []
    missing = problem(client.get("/requirements"), 422)
    assert "at least one" in missing["detail"]


def test_an_unexpected_failure_is_a_500_problem_without_internals(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise psycopg.OperationalError("connection to 10.9.8.7 failed: password authentication failed")

    monkeypatch.setattr(queries, "list_postings", broken)
    body = problem(client.get("/postings"), 500)
    assert "10.9.8.7" not in body["detail"] and "password" not in body["detail"]
    assert "Traceback" not in client.get("/postings").text


BAD_INPUT = [
    "/postings/a%00b",
    "/profiles/a%00b/matches",
    "/postings?status=open%00",
    "/runs?reason=x%00",
    "/runs?posting_id=%1b%5b2J",
    "/postings/a%00b/derivations",
    "/trace/posting/stp-884120/title%00",
    "/postings?%00=1",
]


@pytest.mark.parametrize("url", BAD_INPUT)
def test_control_characters_are_422_not_5xx(client: TestClient, url: str) -> None:
    body = problem(client.get(url), 422)
    assert "\x00" not in body["instance"]


def test_the_running_server_answers_bad_input_without_resetting(
    stack: Endpoints, auditor: dict[str, str]
) -> None:
    with httpx.Client(base_url=stack.api_url or "", timeout=30, headers=auditor) as http:
        for url in BAD_INPUT:
            answer = http.get(url)
            assert answer.status_code == 422, (url, answer.text)
            assert answer.headers["content-type"].startswith(PROBLEM)


def test_every_timestamp_is_iso_8601_with_an_offset(client: TestClient) -> None:
    items = client.get("/postings", params={"limit": 100}).json()["items"]
    stamps = [p["updated_at"] for p in items] + [p["posted_at"] for p in items if p["posted_at"]]
    detail = client.get("/postings/gh-brightloom-7731").json()
    stamps += [detail["first_seen_at"], detail["updated_at"]] + [v["occurred_at"] for v in detail["versions"]]
    trace = client.get("/trace/posting/gh-brightloom-7731/salary_min").json()
    assert trace["verified"] is True and trace["value"] == 175000
    stamps += [e["occurred_at"] for e in [trace["event"], *trace["causes"]]]
    assert stamps and all(TIMESTAMP.match(s) for s in stamps), [s for s in stamps if not TIMESTAMP.match(s)]


def test_the_embedded_registry_refuses_anonymous_and_wrong_credentials(
    registry: TestClient, auditor: dict[str, str]
) -> None:
    client = registry
    for headers in (
        {"Authorization": ""},
        _basic("turing-service", "guess"),
        _basic("someone", "x"),
        auditor,
    ):
        answer = client.get("/subjects", headers=headers)
        assert answer.status_code == 401 and answer.json()["error_code"] == 40101, headers
        assert answer.headers["www-authenticate"].startswith("Basic")
        put = client.put("/config/postings-value", json={"compatibility": "NONE"}, headers=headers)
        assert put.status_code == 401
    assert client.get("/subjects").status_code == 200


def test_registry_routes_keep_confluent_errors_inside_the_app(registry: TestClient) -> None:
    client = registry
    missing = client.get("/subjects/no-such-subject/versions")
    assert missing.status_code == 404 and missing.json()["error_code"] == 40401
    assert missing.headers["content-type"].startswith("application/vnd.schemaregistry.v1+json")
    bad_id = client.get("/schemas/ids/abc")
    assert bad_id.status_code == 422 and set(bad_id.json()) == {"error_code", "message"}
    nul = client.get("/subjects/a%00b/versions")
    assert nul.status_code == 422 and nul.json()["error_code"] == 42208


def test_openapi_describes_every_body_and_error(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "Problem" in schemas
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            registry = "schema registry" in op.get("tags", [])
            ok = op["responses"]["200"]["content"]
            if registry:
                assert ok["application/vnd.schemaregistry.v1+json"]["schema"], (method, path)
                error = op["responses"]["422"]["content"]["application/vnd.schemaregistry.v1+json"]
                assert error["schema"]["$ref"].endswith("/ErrorBody"), (method, path)
                if method in ("post", "put"):
                    assert op["requestBody"]["content"]["application/json"]["schema"]["required"], path
                continue
            if path == "/metrics":  # Prometheus text, not JSON
                assert ok[CONTENT_TYPE_LATEST]["schema"] == {"type": "string"}
            else:
                assert ok["application/json"]["schema"].get("$ref"), (method, path)
            for status in ("422", "500"):
                error = op["responses"][status]["content"]
                assert error == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}, (
                    path,
                    status,
                )
    page = schemas["Page_PostingSummary_"]["properties"]
    assert {"items", "total", "limit", "offset", "next"} <= set(page)
    assert schemas["PostingSummary"]["properties"]["updated_at"]["format"] == "date-time"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_work_offline_from_packaged_assets(client: TestClient, page: str) -> None:
    html = client.get(page)
    assert html.status_code == 200 and "text/html" in html.headers["content-type"]
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html.text)
    urls += re.findall(r"""url\s*:\s*["']([^"']+)["']""", html.text)
    urls += re.findall(r"""spec-url\s*=\s*["']([^"']+)["']""", html.text)
    assert urls, html.text
    assert not [u for u in urls if re.match(r"^(https?:)?//", u)], urls
    assert "cdn" not in html.text.lower() and "fonts.googleapis" not in html.text
    for url in set(urls):
        assert client.get(url).status_code == 200, url
