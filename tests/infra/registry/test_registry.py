"""The schema registry against a real PostgreSQL: the store directly, and the HTTP router through
a real uvicorn server driven by confluent-kafka's own SchemaRegistryClient and Avro serdes."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext
from fastapi import FastAPI

from infra.ports import free_ports
from infra.registry import (
    IncompatibleSchema,
    InvalidCompatibilityLevel,
    InvalidSchema,
    RegistryStore,
    SchemaNotFound,
    SubjectNotFound,
    VersionNotFound,
    registry_router,
)

pytestmark = pytest.mark.stack  # a real PostgreSQL, started by the pg_dsn fixture

MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"


def posting(*extra_fields: dict[str, Any], name: str = "PostingEvent") -> str:
    fields = [
        {"name": "posting_id", "type": "string"},
        {"name": "salary_min", "type": ["null", "int"], "default": None},
        *extra_fields,
    ]
    return json.dumps({"type": "record", "name": name, "namespace": "t.e", "fields": fields})


V1 = posting()
V2 = posting({"name": "title", "type": ["null", "string"], "default": None})
BREAKING = posting({"name": "title", "type": "string"})  # no default: old data cannot be read


@pytest.fixture(scope="module")
def store(pg_dsn: str) -> RegistryStore:
    registry = RegistryStore(pg_dsn)
    registry.ensure_schema()
    registry.ensure_schema()  # idempotent
    return registry


@pytest.fixture()
def new_subject() -> Callable[[], str]:
    # the database is shared by the whole session: every subject gets a unique prefix
    prefix = f"t{uuid.uuid4().hex[:10]}"
    counter = iter(range(1_000))
    return lambda: f"{prefix}-{next(counter)}-value"


# --- store ----------------------------------------------------------------------------------


def test_register_is_idempotent_and_ids_are_global(
    store: RegistryStore, new_subject: Callable[[], str]
) -> None:
    a, b = new_subject(), new_subject()
    first = store.register(a, V1)
    assert store.register(a, V1) == first
    # same canonical schema, different spelling and subject: same global id
    respelled = json.dumps(json.loads(V1), indent=2, sort_keys=True)
    assert store.register(b, respelled) == first
    assert store.versions(a) == [1] and store.versions(b) == [1]
    assert store.schema_by_id(first) == V1
    assert {v.subject for v in store.usages(first)} >= {a, b}


def test_new_version_latest_and_lookup(store: RegistryStore, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    id1 = store.register(subject, V1)
    id2 = store.register(subject, V2)
    assert id2 != id1
    assert store.versions(subject) == [1, 2]
    latest = store.version(subject, "latest")
    assert (latest.subject, latest.version, latest.id, latest.schema) == (subject, 2, id2, V2)
    assert store.version(subject, 1).id == id1
    assert store.version(subject, -1).version == 2
    assert store.lookup(subject, V1).version == 1
    assert store.lookup(subject, json.dumps(json.loads(V2))).version == 2
    assert subject in store.subjects()
    # going back to an earlier schema returns its id without a new version
    assert store.register(subject, V1) == id1
    assert store.versions(subject) == [1, 2]


def test_incompatible_change_rejected(store: RegistryStore, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    store.register(subject, V1)
    with pytest.raises(IncompatibleSchema) as caught:
        store.register(subject, BREAKING)
    assert any("PostingEvent.title" in m for m in caught.value.messages)
    assert store.versions(subject) == [1]
    # what passes alone elsewhere is fine
    store.register(new_subject(), BREAKING)


def test_not_found_and_invalid(store: RegistryStore, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    with pytest.raises(SubjectNotFound):
        store.versions(subject)
    with pytest.raises(SubjectNotFound):
        store.version(subject, "latest")
    with pytest.raises(SubjectNotFound):
        store.lookup(subject, V1)
    store.register(subject, V1)
    with pytest.raises(VersionNotFound):
        store.version(subject, 7)
    with pytest.raises(SchemaNotFound):
        store.lookup(subject, V2)
    with pytest.raises(SchemaNotFound):
        store.schema_by_id(2_000_000_000)
    field_without_type = '{"type": "record", "name": "R", "fields": [{"name": "x"}]}'
    for bad in ["{not json", field_without_type, '"Nope"']:
        with pytest.raises(InvalidSchema):
            store.register(subject, bad)


def test_compatibility_checks_and_config(store: RegistryStore, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    store.register(subject, V1)
    assert store.test_compatibility(subject, V2) == []
    assert store.test_compatibility(subject, BREAKING, "latest") != []
    assert store.test_compatibility(subject, BREAKING, 1) != []
    assert store.test_compatibility(new_subject(), BREAKING) == []  # nothing to break

    assert store.get_config(subject) == store.get_config(None)
    assert store.set_config(subject, "backward") == "BACKWARD"
    assert store.get_config(subject) == "BACKWARD"
    # BACKWARD: new readers must read old data; dropping a field is fine, adding a required
    # one is not
    assert store.test_compatibility(subject, BREAKING) != []
    store.set_config(subject, "NONE")
    store.register(subject, BREAKING)
    assert store.versions(subject) == [1, 2]
    with pytest.raises(InvalidCompatibilityLevel):
        store.set_config(subject, "SIDEWAYS")


def test_transitive_level_checks_every_version(store: RegistryStore, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    store.set_config(subject, "NONE")
    store.register(subject, posting({"name": "z", "type": "string"}))
    store.register(subject, V1)
    # brings back `z` with another type: compatible with version 2, not with version 1
    back = posting({"name": "z", "type": "int", "default": 0})
    store.set_config(subject, "FULL")
    assert store.test_compatibility(subject, back) == []
    store.set_config(subject, "FULL_TRANSITIVE")
    assert store.test_compatibility(subject, back) != []
    with pytest.raises(IncompatibleSchema):
        store.register(subject, back)


def test_concurrent_registrations_agree(pg_dsn: str, new_subject: Callable[[], str]) -> None:
    subjects = [new_subject() for _ in range(4)]
    schema = posting(name=f"Concurrent{uuid.uuid4().hex[:8]}")

    def register(i: int) -> int:
        # a store per worker: separate connections, as separate processes would have
        return RegistryStore(pg_dsn).register(subjects[i % len(subjects)], schema)

    with ThreadPoolExecutor(max_workers=12) as pool:
        ids = list(pool.map(register, range(24)))
    assert len(set(ids)) == 1
    store = RegistryStore(pg_dsn)
    assert all(store.versions(s) == [1] for s in subjects)


# --- HTTP, through the Confluent client -----------------------------------------------------


@pytest.fixture(scope="module")
def registry_url(store: RegistryStore) -> Iterator[str]:
    app = FastAPI()
    app.include_router(registry_router(store))
    port = free_ports(1)[0]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "registry server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def client(url: str) -> SchemaRegistryClient:
    # a fresh client each time: the client caches, and we want to hit the server
    return SchemaRegistryClient({"url": url})


def test_client_register_get_and_lookup(registry_url: str, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    id1 = client(registry_url).register_schema(subject, Schema(V1, "AVRO"))
    assert client(registry_url).register_schema(subject, Schema(V1, "AVRO")) == id1
    id2 = client(registry_url).register_schema(subject, Schema(V2, "AVRO"))
    assert id2 != id1

    sr = client(registry_url)
    assert sr.get_schema(id1).schema_str == V1
    assert sr.get_schema(id2, subject_name=subject, fmt="serialized").schema_str == V2
    latest = sr.get_latest_version(subject)
    assert (latest.subject, latest.version, latest.schema_id) == (subject, 2, id2)
    assert latest.schema.schema_str == V2
    first = sr.get_version(subject, 1)
    assert (first.version, first.schema_id, first.schema.schema_str) == (1, id1, V1)
    assert sr.get_versions(subject) == [1, 2]
    assert subject in sr.get_subjects()
    assert sr.get_subjects(subject_prefix=subject) == [subject]
    found = sr.lookup_schema(subject, Schema(V1, "AVRO"))
    assert (found.version, found.schema_id) == (1, id1)
    assert sr.get_schema_types() == ["AVRO"]
    assert subject in sr.get_subjects_by_schema_id(id2)
    # other tests register V2 too: ids are global
    assert (subject, 2) in [(v.subject, v.version) for v in sr.get_schema_versions(id2)]


def test_client_errors(registry_url: str, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    sr = client(registry_url)
    sr.register_schema(subject, Schema(V1, "AVRO"))

    def code(call: Callable[[], object]) -> tuple[int, int]:
        with pytest.raises(SchemaRegistryError) as caught:
            call()
        return caught.value.http_status_code, caught.value.error_code

    assert code(lambda: sr.register_schema(subject, Schema(BREAKING, "AVRO"))) == (409, 409)
    assert code(lambda: sr.get_versions(new_subject())) == (404, 40401)
    assert code(lambda: sr.get_version(subject, 9)) == (404, 40402)
    assert code(lambda: sr.get_schema(2_000_000_000)) == (404, 40403)
    assert code(lambda: sr.lookup_schema(subject, Schema(V2, "AVRO"))) == (404, 40403)
    assert code(lambda: sr.register_schema(subject, Schema("{oops", "AVRO"))) == (422, 42201)
    protobuf = Schema('syntax = "proto3";', "PROTOBUF")
    assert code(lambda: sr.register_schema(subject, protobuf)) == (422, 42201)
    assert code(lambda: sr.set_compatibility(subject, "SIDEWAYS")) == (422, 42203)


def test_client_compatibility_and_config(registry_url: str, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    sr = client(registry_url)
    sr.register_schema(subject, Schema(V1, "AVRO"))
    assert sr.test_compatibility(subject, Schema(V2, "AVRO")) is True
    assert sr.test_compatibility(subject, Schema(BREAKING, "AVRO"), version=1) is False
    assert sr.test_compatibility_all_versions(subject, Schema(BREAKING, "AVRO")) is False

    verbose = httpx.post(
        f"{registry_url}/compatibility/subjects/{subject}/versions/latest",
        params={"verbose": "true"},
        content=json.dumps({"schema": BREAKING}),
        headers={"Content-Type": MEDIA_TYPE},
    )
    assert verbose.status_code == 200
    assert verbose.json()["is_compatible"] is False
    assert any("PostingEvent.title" in m for m in verbose.json()["messages"])

    assert sr.get_compatibility(subject) == sr.get_compatibility()
    # the client returns PUT /config's JSON body as is, despite its `-> str` annotation
    assert sr.set_compatibility(subject, "none") == {"compatibility": "NONE"}
    assert sr.get_compatibility(subject) == "NONE"
    assert sr.register_schema(subject, Schema(BREAKING, "AVRO")) > 0


def test_global_config_round_trip(registry_url: str) -> None:
    sr = client(registry_url)
    before = sr.get_compatibility()
    try:
        assert sr.set_compatibility(level="FORWARD") == {"compatibility": "FORWARD"}
        assert sr.get_compatibility() == "FORWARD"
    finally:
        sr.set_compatibility(level=before)
    assert sr.get_compatibility() == before


def test_raw_http_shapes(registry_url: str, new_subject: Callable[[], str]) -> None:
    subject = new_subject()
    with httpx.Client(base_url=registry_url) as http:
        # plain application/json requests work too
        created = http.post(f"/subjects/{subject}/versions", json={"schema": V1})
        assert created.status_code == 200
        assert created.headers["content-type"].startswith(MEDIA_TYPE)
        schema_id = created.json()["id"]
        raw = http.get(f"/subjects/{subject}/versions/latest/schema")
        assert raw.status_code == 200 and json.loads(raw.text) == json.loads(V1)
        by_id = http.get(f"/schemas/ids/{schema_id}", params={"subject": subject})
        assert by_id.json() == {"schema": V1}
        bad_version = http.get(f"/subjects/{subject}/versions/zero")
        assert bad_version.status_code == 422 and bad_version.json()["error_code"] == 42202
        missing = http.post(f"/subjects/{subject}/versions", content=b"[]")
        assert missing.status_code == 400 and "error_code" in missing.json()


def test_avro_serde_round_trip(registry_url: str, new_subject: Callable[[], str]) -> None:
    topic = new_subject().removesuffix("-value")
    sr = client(registry_url)
    serializer = AvroSerializer(sr, V2)
    deserializer = AvroDeserializer(client(registry_url))
    ctx = SerializationContext(topic, MessageField.VALUE)
    event = {"posting_id": "p-1", "salary_min": 50_000, "title": "Engineer"}
    payload = serializer(event, ctx)
    assert payload is not None and payload[0] == 0  # Confluent wire format: magic byte, id
    assert deserializer(payload, ctx) == event
    assert sr.get_latest_version(f"{topic}-value").schema.schema_str == V2
