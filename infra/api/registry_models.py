"""Bodies of the schema-registry subset, as Confluent's clients read them (for the OpenAPI
document: the routes build their answers by hand so that every failure keeps Confluent's shape)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    # `schema` is a field here and a (deprecated) BaseModel method: aliased
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class ErrorBody(_Body):
    """Confluent's error shape, kept by every registry route."""

    error_code: int = Field(
        description="e.g. 40401 subject not found, 42201 invalid schema, 42208 invalid subject"
    )
    message: str


class SchemaId(_Body):
    id: int


class SubjectVersion(_Body):
    subject: str
    version: int


class RegisteredSchema(SubjectVersion):
    id: int
    schema_: str = Field(alias="schema", description="the Avro schema, as JSON text")


class SchemaText(_Body):
    schema_: str = Field(alias="schema")


class CompatibilityResult(_Body):
    is_compatible: bool
    messages: list[str] | None = Field(default=None, description="only with verbose=true")


class CompatibilityLevel(_Body):
    compatibilityLevel: str  # Confluent's spelling


class CompatibilitySet(_Body):
    compatibility: str


def _request_body(properties: dict[str, object], required: list[str]) -> dict[str, object]:
    schema = {"type": "object", "properties": properties, "required": required}
    media = {m: {"schema": schema} for m in ("application/vnd.schemaregistry.v1+json", "application/json")}
    return {"requestBody": {"required": True, "content": media}}


# the bodies the routes read by hand, for the OpenAPI document (`openapi_extra=`)
SCHEMA_REQUEST = _request_body(
    {
        "schema": {"type": "string", "description": "the Avro schema, as JSON text"},
        "schemaType": {"type": "string", "enum": ["AVRO"], "default": "AVRO"},
    },
    ["schema"],
)
CONFIG_REQUEST = _request_body(
    {"compatibility": {"type": "string", "examples": ["BACKWARD", "FULL_TRANSITIVE", "NONE"]}},
    ["compatibility"],
)
