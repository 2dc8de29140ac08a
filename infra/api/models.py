"""Response bodies of the posting and trace routes, and the one timestamp format of every body."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, PlainSerializer, WithJsonSchema

PostingStatus = Literal["open", "withdrawn"]


def _iso(value: datetime) -> str:
    # projections are read in UTC; a naive value is one of those
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


# ISO 8601 with an explicit offset, `2026-10-22T16:40:00+00:00` (pydantic alone would write `Z`)
Timestamp = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2026-10-22T16:40:00+00:00"]}),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PostingSummary(Body):
    posting_id: str
    version: int
    status: PostingStatus
    title: str
    company: str
    location: str
    work_model: str | None
    salary_min: float | str | None = Field(description="a number, or its redacted form until its stage")
    salary_max: float | str | None = Field(description="a number, or its redacted form until its stage")
    currency: str | None
    posted_at: Timestamp | None
    updated_at: Timestamp


class PostingVersion(Body):
    version: int
    event_id: uuid.UUID
    event_type: str
    content_hash: str
    changed_fields: list[str]
    occurred_at: Timestamp


class Posting(PostingSummary):
    source: str
    description: str
    url: str | None
    content_hash: str
    first_seen_at: Timestamp
    last_event_id: uuid.UUID
    field_events: dict[str, str] = Field(description="field -> id of the event that set its value")
    versions: list[PostingVersion]


class Producer(Body):
    component: str
    version: str


class TraceEvent(Body):
    event_id: str
    event_type: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    occurred_at: Timestamp | None = None
    producer: Producer | None = None
    causation_id: str | None = None
    correlation_id: str | None = None
    run_id: str | None = None
    schema_id: int | None = None
    value_sha256: str | None = None
    role: str | None = Field(default=None, description="for related events: run, derivation, input, ...")
    missing: bool = Field(default=False, description="named as a cause but absent from the audit log")


class TraceDecision(Body):
    step: str
    task: str
    engine: str
    model: str
    prompt_version: str
    prompt_hash: str
    input_hash: str
    status: str
    latency_ms: float
    tokens_in: int
    tokens_out: int
    attempts: int
    flags: list[str]
    error: str | None
    reused_decision_id: str | None
    taxonomy: str | None = Field(default=None, description="name#sha256 of the taxonomy the step read")


class ReusedDecision(Body):
    event_id: str
    run_id: str | None
    engine: str
    model: str
    occurred_at: Timestamp


class TraceRun(Body):
    run_id: str
    status: str
    reason: str
    trigger: str
    requested_by: str
    start_step: str


class Verification(Body):
    event_id: str
    at: str | None = Field(description="topic[partition]@offset it was re-read from")
    ok: bool
    reason: str | None = None
    sha256: str | None = None


class Trace(Body):
    entity: Literal["posting", "match"]
    id: str
    field: str
    value: JsonValue
    derivation_version: int | None = None
    decision: TraceDecision | None = None
    reused: ReusedDecision | None = None
    run: TraceRun | None = None
    event: TraceEvent
    causes: list[TraceEvent]
    related: list[TraceEvent] = Field(default_factory=list)
    verified: bool | None = Field(description="null unless verify=true")
    verification: list[Verification] | None = None


class Health(Body):
    status: Literal["ok"]
