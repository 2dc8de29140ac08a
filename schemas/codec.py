"""Encode events to Confluent-framed Avro and decode them back, through a schema registry."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import fastavro

from schemas import catalog, wire
from schemas.models import Event, model_for
from schemas.registry_client import SchemaRegistry
from schemas.topics import topic as topic_info


class UnknownSchemaError(wire.WireFormatError):
    """The value names a schema id the registry does not know."""


class EventCodec:
    def __init__(self, registry: SchemaRegistry):
        self.registry = registry
        self._ids: dict[str, int] = {}

    def schema_id(self, topic: str) -> int:
        if topic not in self._ids:
            self._ids[topic] = self.registry.register(topic_info(topic).subject, catalog.schema_text(topic))
        return self._ids[topic]

    def encode(self, event: Event) -> bytes:
        return wire.frame(self.schema_id(event.topic), catalog.parsed(event.topic), event.to_avro())

    def decode_record(self, topic: str, data: bytes) -> tuple[int, dict[str, Any]]:
        """Resolve the writer's schema (any historical version) onto the current reader schema."""
        schema_id = wire.schema_id_of(data)
        writer = self._writer_schema(schema_id)
        return schema_id, wire.unframe(data, writer, catalog.parsed(topic))

    def decode(self, topic: str, data: bytes) -> tuple[int, Event]:
        schema_id, record = self.decode_record(topic, data)
        return schema_id, model_for(topic).model_validate(record)

    def _writer_schema(self, schema_id: int) -> Any:
        return _parse_cached(self._fetch(schema_id))

    def _fetch(self, schema_id: int) -> str:
        try:
            return self.registry.schema_by_id(schema_id)
        except LookupError as exc:  # both adapters signal "no such id" as a LookupError
            raise UnknownSchemaError(f"schema id {schema_id} is not in the registry") from exc


@lru_cache(maxsize=256)
def _parse_cached(schema_str: str) -> Any:
    return fastavro.parse_schema(json.loads(schema_str))
