"""Bad input to the registry routes gets a Confluent error, never a 5xx: schemas nested past any
parser's depth, control characters in a subject, malformed ids, bodies nested too deep."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from infra.registry import RegistryStore, registry_router

pytestmark = pytest.mark.stack  # a real PostgreSQL, started by the pg_dsn fixture

MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"


@pytest.fixture(scope="module")
def client(pg_dsn: str) -> Iterator[TestClient]:
    store = RegistryStore(pg_dsn)
    store.ensure_schema()
    app = FastAPI()
    app.include_router(registry_router(store))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def nested_records(depth: int) -> str:
    # built as text: json.dumps itself cannot recurse this deep
    opening = "".join(
        f'{{"type":"record","name":"r{i}","fields":[{{"name":"inner","type":' for i in range(1, depth)
    )
    innermost = f'{{"type":"record","name":"r{depth}","fields":[]}}'
    return opening + innermost + "}]}" * (depth - 1)


def confluent(response: object, status: int, code: int) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(MEDIA_TYPE)  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error_code", "message"} and body["error_code"] == code, body
    return str(body["message"])


@pytest.mark.parametrize(
    "route", ["/subjects/{s}/versions", "/subjects/{s}", "/compatibility/subjects/{s}/versions"]
)
def test_a_schema_nested_3000_records_deep_is_an_invalid_schema(client: TestClient, route: str) -> None:
    subject = f"deep-{uuid.uuid4().hex[:8]}"
    if route.startswith("/compatibility"):
        # compatibility is only checked against something registered
        ok = client.post(f"/subjects/{subject}/versions", json={"schema": nested_records(2)})
        assert ok.status_code == 200, ok.text
    answer = client.post(route.format(s=subject), json={"schema": nested_records(3000)})
    assert "nested too deeply" in confluent(answer, 422, 42201)


def test_a_moderately_nested_schema_still_registers(client: TestClient) -> None:
    answer = client.post(f"/subjects/ok-{uuid.uuid4().hex[:8]}/versions", json={"schema": nested_records(50)})
    assert answer.status_code == 200 and isinstance(answer.json()["id"], int)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/subjects/a%00b/versions"),
        ("GET", "/subjects/a%00b/versions/latest"),
        ("POST", "/subjects/a%00b/versions"),
        ("POST", "/subjects/a%1fb"),
        ("GET", "/config/a%00b"),
        ("PUT", "/config/a%00b"),
    ],
)
def test_control_characters_in_a_subject_are_an_invalid_subject(
    client: TestClient, method: str, url: str
) -> None:
    answer = client.request(method, url, json={"schema": nested_records(1), "compatibility": "NONE"})
    assert "control characters" in confluent(answer, 422, 42208)


def test_control_characters_in_a_version_are_an_invalid_version(client: TestClient) -> None:
    assert "control characters" in confluent(client.get("/subjects/s/versions/1%00"), 422, 42202)


def test_a_malformed_schema_id_and_a_body_nested_too_deep(client: TestClient) -> None:
    confluent(client.get("/schemas/ids/not-a-number"), 422, 422)
    deep = "[" * 100_000 + "]" * 100_000
    answer = client.post(
        f"/subjects/b-{uuid.uuid4().hex[:8]}/versions", content=deep, headers={"content-type": MEDIA_TYPE}
    )
    assert "nests too deeply" in confluent(answer, 400, 400)
