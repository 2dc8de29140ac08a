"""Our registry and wire format against confluent-kafka's own Avro serializer and deserializer."""

from __future__ import annotations

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from pydantic import SecretStr

from infra.endpoints import Endpoints
from infra.registry.store import RegistryStore
from schemas import catalog
from schemas.codec import EventCodec, UnknownSchemaError
from schemas.models import PostingEvent
from schemas.registry_client import ConfluentRegistry, RegistryAuth, RegistryError, SchemaRegistry
from tests.schemas.test_event_schemas import SAMPLES

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def endpoints(module_stack) -> Endpoints:  # type: ignore[no-untyped-def]
    return module_stack[1]


def confluent(endpoints: Endpoints) -> SchemaRegistryClient:
    """confluent-kafka's own client, with the stack's registry credentials."""
    assert endpoints.registry_auth is not None
    return SchemaRegistryClient({"url": endpoints.registry_url, **endpoints.registry_auth.properties()})


def ours(endpoints: Endpoints) -> ConfluentRegistry:
    return ConfluentRegistry(endpoints.registry_url, endpoints.registry_auth)


@pytest.mark.parametrize("topic", ["postings", "deadletters", "runs"])
def test_confluent_serializer_output_decodes_with_our_codec(endpoints: Endpoints, topic: str) -> None:
    client = confluent(endpoints)
    serializer = AvroSerializer(client, catalog.schema_text(topic), conf={"auto.register.schemas": True})
    event = SAMPLES[topic]
    data = serializer(event.to_avro(), SerializationContext(topic, MessageField.VALUE))
    assert data is not None
    _, decoded = EventCodec(ours(endpoints)).decode(topic, data)
    assert decoded == event


@pytest.mark.parametrize("topic", ["postings", "matches"])
def test_our_codec_output_decodes_with_confluent_deserializer(endpoints: Endpoints, topic: str) -> None:
    event = SAMPLES[topic]
    data = EventCodec(ours(endpoints)).encode(event)
    deserializer = AvroDeserializer(confluent(endpoints))
    record = deserializer(data, SerializationContext(topic, MessageField.VALUE))
    assert type(event).model_validate(record) == event


def test_both_sides_agree_on_the_schema_id(endpoints: Endpoints) -> None:
    mine = EventCodec(ours(endpoints)).schema_id("postings")
    theirs = confluent(endpoints).get_latest_version("postings-value")
    assert theirs.schema_id == mine


def test_the_registry_client_authenticates_against_the_embedded_registry(endpoints: Endpoints) -> None:
    assert endpoints.registry_auth is not None and endpoints.registry_auth.username
    schema_id = ours(endpoints).register("auth-e2e-value", catalog.schema_text("feedback"))
    assert ours(endpoints).schema_by_id(schema_id) == catalog.schema_text("feedback")
    anonymous = ConfluentRegistry(endpoints.registry_url)
    wrong = ConfluentRegistry(
        endpoints.registry_url,
        RegistryAuth(username=endpoints.registry_auth.username, password=SecretStr("not-the-password")),
    )
    for client in (anonymous, wrong):
        with pytest.raises(RegistryError) as refused:
            client.schema_by_id(schema_id)
        assert refused.value.status == 401 and refused.value.code == 40101


def _adapters(module_stack) -> list[SchemaRegistry]:  # type: ignore[no-untyped-def]
    endpoints = module_stack[1]
    return [ours(endpoints), RegistryStore(endpoints.dsn)]


@pytest.mark.parametrize("adapter", ["http", "store"])
def test_registry_adapters_share_one_contract(module_stack, adapter: str) -> None:  # type: ignore[no-untyped-def]
    registry = dict(zip(["http", "store"], _adapters(module_stack), strict=True))[adapter]
    schema = catalog.schema_text("feedback")
    first = registry.register(f"contract-{adapter}-value", schema)
    assert registry.register(f"contract-{adapter}-value", schema) == first
    assert registry.schema_by_id(first) == schema
    with pytest.raises(LookupError):
        registry.schema_by_id(987_654)
    codec = EventCodec(registry)
    event = SAMPLES["feedback"]
    assert codec.decode("feedback", codec.encode(event))[1] == event
    unknown = b"\x00" + (987_654).to_bytes(4, "big") + b"\x02"
    with pytest.raises(UnknownSchemaError):
        codec.decode("feedback", unknown)


def test_an_old_writer_schema_resolves_onto_the_current_reader(endpoints: Endpoints) -> None:
    """Replays read every historical version: decoding goes through the writer's own schema."""
    import json

    older = catalog.schema_json("postings")
    older = {
        **older,
        "fields": [f for f in older["fields"] if f["name"] not in ("source_file", "source_line")],
    }
    registry = ours(endpoints)
    older_id = registry.register("postings-older-value", json.dumps(older))
    from schemas import wire

    event = SAMPLES["postings"]
    record = {k: v for k, v in event.to_avro().items() if k not in ("source_file", "source_line")}
    import fastavro

    data = wire.frame(older_id, fastavro.parse_schema(older), record)
    _, decoded = EventCodec(registry).decode("postings", data)
    assert isinstance(decoded, PostingEvent)
    assert decoded.source_line is None and decoded.content == event.content


def test_the_documented_consumer_reads_v3_and_v2_matches_through_confluent_deserializer(
    endpoints: Endpoints,
) -> None:
    """docs/matching.md's `describe` on what confluent-kafka's AvroDeserializer hands a consumer."""
    import json

    import fastavro

    from processors.matching.payload import detail_json
    from schemas import wire
    from tests.processors.jury.helpers import borderline_match
    from tests.schemas.test_consumer_example import doc_describe

    event = borderline_match()
    v3_bytes = EventCodec(ours(endpoints)).encode(event)
    old = dict(catalog.history("matches"))["v2.avsc"]
    old_id = ours(endpoints).register("matches-value", json.dumps(old, separators=(",", ":")))
    twin = {**event.to_avro(), "detail": json.dumps(detail_json(event), ensure_ascii=False, sort_keys=True)}
    v2_bytes = wire.frame(old_id, fastavro.parse_schema(old), twin)
    deserializer = AvroDeserializer(confluent(endpoints))
    context = SerializationContext("matches", MessageField.VALUE)
    v3, v2 = deserializer(v3_bytes, context), deserializer(v2_bytes, context)
    assert v3["score"]["fit"]["components"]["hard_skills"] == event.score.fit.components.hard_skills  # type: ignore[union-attr]
    assert "score" not in v2 and "detail" in v2  # the writer's own schema: v2 has no typed fields
    describe = doc_describe()
    assert describe(v3) == describe(v2)
