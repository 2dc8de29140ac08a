"""Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body."""

from __future__ import annotations

import io
import struct
from typing import Any

import fastavro

MAGIC = 0
HEADER = struct.Struct(">bI")


class WireFormatError(ValueError):
    """The bytes are not a Confluent-framed Avro record."""


def frame(schema_id: int, parsed_schema: Any, record: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    buf.write(HEADER.pack(MAGIC, schema_id))
    fastavro.schemaless_writer(buf, parsed_schema, record)
    return buf.getvalue()


def schema_id_of(data: bytes | None) -> int:
    if data is None or len(data) < HEADER.size:
        raise WireFormatError(
            f"value of {0 if data is None else len(data)} bytes is too short for the 5-byte header"
        )
    magic, schema_id = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise WireFormatError(f"magic byte is {magic}, expected {MAGIC}: not Confluent-framed Avro")
    return int(schema_id)


def unframe(data: bytes, writer_schema: Any, reader_schema: Any | None = None) -> dict[str, Any]:
    schema_id_of(data)
    buf = io.BytesIO(data)
    buf.seek(HEADER.size)
    try:
        record = fastavro.schemaless_reader(buf, writer_schema, reader_schema)
    except Exception as exc:  # fastavro raises assorted types for corrupt bodies
        raise WireFormatError(f"Avro body does not decode with the writer schema: {exc}") from exc
    if buf.tell() != len(data):
        raise WireFormatError(f"{len(data) - buf.tell()} trailing bytes after the Avro record")
    if not isinstance(record, dict):
        raise WireFormatError("decoded value is not a record")
    return record
