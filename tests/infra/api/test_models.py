"""Pure parts of the API contract: the timestamp format, stage names, paging links, problem shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import get_args

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from infra.api import problems
from infra.api.guards import has_control_chars
from infra.api.match_models import StageName
from infra.api.models import Timestamp
from infra.api.paging import Page, PageRequest, page
from processors.sensitive.model import Stage
from schemas.errors import (
    BadInput,
    BrokerUnavailable,
    Conflict,
    DatabaseRefused,
    DatabaseUnavailable,
    NotFound,
)


class Stamped(BaseModel):
    at: Timestamp


def test_timestamps_are_written_with_an_explicit_utc_offset() -> None:
    cases = {
        datetime(2026, 10, 22, 16, 40, tzinfo=UTC): "2026-10-22T16:40:00+00:00",
        datetime(2026, 10, 22, 18, 40, tzinfo=timezone(timedelta(hours=2))): "2026-10-22T16:40:00+00:00",
        datetime(2026, 10, 22, 16, 40, 0, 5): "2026-10-22T16:40:00.000005+00:00",
    }
    for value, text in cases.items():
        assert Stamped(at=value).model_dump(mode="json") == {"at": text}
    assert (
        Stamped.model_validate({"at": "2026-10-22T16:40:00Z"}).model_dump_json()
        == '{"at":"2026-10-22T16:40:00+00:00"}'
    )


def test_the_api_stage_names_are_the_domain_stages() -> None:
    assert list(get_args(StageName)) == [s.name.lower() for s in Stage]


def test_control_characters_are_c0_del_and_c1_only() -> None:
    assert all(has_control_chars(f"a{chr(c)}b") for c in [*range(0x20), *range(0x7F, 0xA0)])
    assert not has_control_chars("Zürich, café ✓ 日本\u2013")


def _paged_app() -> FastAPI:
    app = FastAPI()

    @app.get("/things")
    def things(request: Request, offset: int = 0, limit: int = 2, q: str | None = None) -> Page[int]:
        items = list(range(5))[offset : offset + limit]
        return page(request, items, 5, PageRequest(limit=limit, offset=offset))

    return app


def test_next_links_move_the_window_and_keep_the_filters() -> None:
    with TestClient(_paged_app()) as client:
        first = client.get("/things", params={"q": "x y", "limit": 2}).json()
        assert first == {
            "items": [0, 1],
            "total": 5,
            "limit": 2,
            "offset": 0,
            "next": "/things?q=x+y&limit=2&offset=2",
        }
        last = client.get(first["next"]).json()
        assert last["items"] == [2, 3] and client.get(last["next"]).json() == {
            "items": [4],
            "total": 5,
            "limit": 2,
            "offset": 4,
            "next": None,
        }


def test_error_bodies_are_filed_as_problem_json_in_openapi() -> None:
    app = FastAPI()

    @app.get("/x", responses=problems.responses(404))
    def x() -> dict[str, int]:
        return {}

    document = problems.problems_in_openapi(app.openapi())
    answers = document["paths"]["/x"]["get"]["responses"]
    assert sorted(answers) == ["200", "404", "422", "500", "503"]
    for status in ("404", "422", "500", "503"):
        assert list(answers[status]["content"]) == [problems.PROBLEM_MEDIA_TYPE]
    assert list(answers["200"]["content"]) == ["application/json"]


@pytest.mark.parametrize(
    ("error", "status", "says", "hides"),
    [
        (NotFound("no posting with id 'x'"), 404, "no posting with id 'x'", None),
        (Conflict("mutual interest comes after the candidate's"), 409, "mutual interest", None),
        (BadInput("a reason must say why"), 422, "a reason must say why", None),
        (
            DatabaseUnavailable("connection to 10.9.8.7 refused"),
            503,
            "the projection database is unavailable",
            "10.9.8.7",
        ),
        (BrokerUnavailable("broker 10.9.8.7:9092 down"), 503, "the event broker is unavailable", "10.9.8.7"),
        (DatabaseRefused('relation "secret_table" does not exist'), 500, "failed", "secret_table"),
    ],
)
def test_the_projects_errors_are_problems_mapped_in_one_place(
    error: Exception, status: int, says: str, hides: str | None
) -> None:
    app = FastAPI()
    problems.install(app)

    @app.get("/x")
    def x() -> dict[str, int]:
        raise error

    answer = TestClient(app, raise_server_exceptions=False).get("/x")
    assert answer.status_code == status
    assert answer.headers["content-type"] == problems.PROBLEM_MEDIA_TYPE
    body = answer.json()
    assert says in body["detail"] and body["instance"] == "/x"
    assert hides is None or hides not in answer.text
