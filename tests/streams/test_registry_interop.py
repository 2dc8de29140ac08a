"""Our registry and wire format against confluent-kafka's own Avro serializer and deserializer."""

from __future__ import annotations

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from projections.registry.store import RegistryStore
from schemas import catalog
from schemas.codec import EventCodec, UnknownSchemaError
from schemas.models import PostingEvent
from schemas.registry_client import HttpRegistry, SchemaRegistry
from tests.schemas.test_event_schemas import SAMPLES

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def registry_url(module_stack) -> str:  # type: ignore[no-untyped-def]
    return module_stack[1].registry_url


@pytest.mark.parametrize("topic", ["postings", "deadletters", "runs"])
def test_confluent_serializer_output_decodes_with_our_codec(registry_url: str, topic: str) -> None:
    client = SchemaRegistryClient({"url": registry_url})
    serializer = AvroSerializer(client, catalog.schema_text(topic), conf={"auto.register.schemas": True})
    event = SAMPLES[topic]
    data = serializer(event.to_avro(), SerializationContext(topic, MessageField.VALUE))
    assert data is not None
    _, decoded = EventCodec(HttpRegistry(registry_url)).decode(topic, data)
    assert decoded == event


@pytest.mark.parametrize("topic", ["postings", "matches"])
def test_our_codec_output_decodes_with_confluent_deserializer(registry_url: str, topic: str) -> None:
    event = SAMPLES[topic]
    data = EventCodec(HttpRegistry(registry_url)).encode(event)
    deserializer = AvroDeserializer(SchemaRegistryClient({"url": registry_url}))
    record = deserializer(data, SerializationContext(topic, MessageField.VALUE))
    assert type(event).model_validate(record) == event


def test_both_sides_agree_on_the_schema_id(registry_url: str) -> None:
    ours = EventCodec(HttpRegistry(registry_url)).schema_id("postings")
    theirs = SchemaRegistryClient({"url": registry_url}).get_latest_version("postings-value")
    assert theirs.schema_id == ours


def _adapters(module_stack) -> list[SchemaRegistry]:  # type: ignore[no-untyped-def]
    endpoints = module_stack[1]
    return [HttpRegistry(endpoints.registry_url), RegistryStore(endpoints.dsn)]


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


def test_an_old_writer_schema_resolves_onto_the_current_reader(registry_url: str) -> None:
    """Replays read every historical version: decoding goes through the writer's own schema."""
    import json

    older = catalog.schema_json("postings")
    older = {
        **older,
        "fields": [f for f in older["fields"] if f["name"] not in ("source_file", "source_line")],
    }
    registry = HttpRegistry(registry_url)
    older_id = registry.register("postings-older-value", json.dumps(older))
    from schemas import wire

    event = SAMPLES["postings"]
    record = {k: v for k, v in event.to_avro().items() if k not in ("source_file", "source_line")}
    import fastavro

    data = wire.frame(older_id, fastavro.parse_schema(older), record)
    _, decoded = EventCodec(registry).decode("postings", data)
    assert isinstance(decoded, PostingEvent)
    assert decoded.source_line is None and decoded.content == event.content
