"""Python models of the events. The `.avsc` files are the truth; a test proves these match."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.payloads import (
    Evidence,
    Explanation,
    FlagReview,
    MappedSkill,
    MatchScore,
    RedFlag,
    RedFlagVerdict,
    RequirementLine,
    Suggestion,
    SummaryGrade,
)

TURING_NAMESPACE = uuid.UUID("6f1c1f9e-6d0e-4f0a-9a51-2b1f3c6d7e80")


def deterministic_id(*parts: object) -> uuid.UUID:
    """Derived events take their id from their cause, so a re-delivery yields the same id."""
    return uuid.uuid5(TURING_NAMESPACE, "\x1f".join(str(p) for p in parts))


def now_utc() -> datetime:
    # Avro timestamp-millis keeps milliseconds; truncating here makes round trips exact.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class Producer(BaseModel):
    component: str
    version: str


class Meta(BaseModel):
    event_id: uuid.UUID
    event_type: str
    occurred_at: datetime
    producer: Producer
    causation_id: str | None = None
    correlation_id: str | None = None
    run_id: str | None = None


def event_meta(
    event_type: str,
    producer: Producer,
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
    causation_id: str | None = None,
    correlation_id: str | None = None,
    run_id: str | None = None,
) -> Meta:
    """The metadata of an event about to be emitted.

    Without `event_id` the event is a new fact and gets a random id; an event derived from
    another passes `deterministic_id(...)` of its cause, so a re-delivery repeats it.
    Without `occurred_at` it happens now.
    """
    return Meta(
        event_id=uuid.uuid4() if event_id is None else event_id,
        event_type=event_type,
        occurred_at=now_utc() if occurred_at is None else occurred_at,
        producer=producer,
        causation_id=causation_id,
        correlation_id=correlation_id,
        run_id=run_id,
    )


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)
    topic: ClassVar[str]
    key_field: ClassVar[str]
    meta: Meta

    def key(self) -> str:
        """The entity whose order matters: every event of one entity lands in one partition."""
        return str(getattr(self, self.key_field))

    def to_avro(self) -> dict[str, Any]:
        return self.model_dump(mode="python")


class PostingContent(BaseModel):
    source: str
    title: str
    company: str
    location: str
    description: str
    salary_min: float | None = None
    salary_max: float | None = None
    currency: str | None = None
    work_model: str | None = None
    posted_at: datetime | None = None
    url: str | None = None


class PostingEvent(Event):
    key_field: ClassVar[str] = "posting_id"
    topic: ClassVar[str] = "postings"
    posting_id: str
    version: int
    content_hash: str | None = None
    previous_hash: str | None = None
    content: PostingContent | None = None
    changed_fields: list[str] = Field(default_factory=list)
    reason: str | None = None
    source_line: int | None = None
    source_file: str | None = None
    normaliser: str | None = None


class ProfileEvent(Event):
    key_field: ClassVar[str] = "profile_id"
    topic: ClassVar[str] = "profiles"
    profile_id: str
    version: int
    content_hash: str
    document: str


class CommandEvent(Event):
    key_field: ClassVar[str] = "posting_id"
    topic: ClassVar[str] = "commands"
    posting_id: str
    start_step: str
    model_overrides: dict[str, str] = Field(default_factory=dict)
    reason: str
    requested_by: str
    priority: int = 0


class RunEvent(Event):
    key_field: ClassVar[str] = "posting_id"
    topic: ClassVar[str] = "runs"
    run_id: str
    posting_id: str
    status: str
    reason: str
    trigger: str
    start_step: str
    model_config_: dict[str, str] = Field(default_factory=dict, alias="model_config")
    error: str | None = None
    requested_by: str = ""
    priority: int = 0
    derivation_version: int | None = None
    failed_step: str | None = None

    def to_avro(self) -> dict[str, Any]:
        return self.model_dump(mode="python", by_alias=True)


class DecisionEvent(Event):
    key_field: ClassVar[str] = "subject_id"
    topic: ClassVar[str] = "decisions"
    subject_id: str
    step: str
    engine: str
    model: str
    prompt_version: str
    prompt_hash: str
    input_hash: str
    input_event_ids: list[str] = Field(default_factory=list)
    output: str
    status: str
    latency_ms: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    reused_decision_id: str | None = None
    error: str | None = None
    task: str = ""
    item_index: int | None = None
    flags: list[str] = Field(default_factory=list)
    attempts: int = 1
    taxonomy: str | None = None


class DerivationEvent(Event):
    key_field: ClassVar[str] = "posting_id"
    topic: ClassVar[str] = "derivations"
    posting_id: str
    version: int
    posting_event_id: str
    decision_ids: list[str] = Field(default_factory=list)
    summary: str | None = None
    culture_text: str | None = None
    requirements: str = "[]"
    ihl_score: float | None = None
    red_flag_category: str | None = None
    ghost_score: float | None = None
    skills: str = "[]"
    responsibilities: list[str] = Field(default_factory=list)
    red_flags: str = "{}"
    engine_config: dict[str, str] = Field(default_factory=dict)
    rolled_back_from: int | None = None
    reason: str | None = None
    # v3: typed in place of the JSON text of `requirements`, `skills` and `red_flags`, which
    # v3 producers leave at their defaults. None marks an event written before v3.
    requirement_lines: list[RequirementLine] | None = None
    mapped_skills: list[MappedSkill] | None = None
    analyst_flags: list[RedFlag] | None = None
    flag_reviews: list[FlagReview] | None = None
    verdict: RedFlagVerdict | None = None
    summary_grades: list[SummaryGrade] | None = None
    summary_passed: bool | None = None
    ghost_signals: list[str] | None = None


class MatchEvent(Event):
    key_field: ClassVar[str] = "profile_id"
    topic: ClassVar[str] = "matches"
    profile_id: str
    posting_id: str
    profile_version: int
    derivation_version: int
    fit_total: float
    stretch_total: float
    ghost_score: float | None = None
    recommendation: str
    detail: str = "{}"
    supersedes: str | None = None
    profile_event_id: str | None = None
    derivation_event_id: str | None = None
    practical_total: float | None = None
    fit_label: str = ""
    blocked: bool = False
    # v3: typed in place of `detail`'s JSON text (then "{}"). A None score marks an event
    # written before v3, whose `detail` holds all of this.
    score: MatchScore | None = None
    explanation: Explanation | None = None
    suggestions: list[Suggestion] = Field(default_factory=list)
    evidence: list[Evidence] | None = None


class FeedbackEvent(Event):
    key_field: ClassVar[str] = "profile_id"
    topic: ClassVar[str] = "feedback"
    profile_id: str
    posting_id: str
    match_event_id: str
    verdict: str
    reason: str | None = None
    profile_version: int | None = None
    derivation_version: int | None = None
    decision_ids: list[str] = Field(default_factory=list)
    component: str | None = None
    category: str = ""
    classifier: str = ""
    author: str = ""


class AccessEvent(Event):
    key_field: ClassVar[str] = "viewer_id"
    topic: ClassVar[str] = "access"
    viewer_id: str
    posting_id: str
    field: str
    stage: str
    visibility: str
    strategy: str | None = None
    revealed: bool
    purpose: str
    reason: str = ""
    channel: str = "api"
    role: str = ""
    profile_id: str | None = None


class TokenEvent(Event):
    """token.issued / token.revoked: only the token's hash is ever written."""

    key_field: ClassVar[str] = "viewer"
    topic: ClassVar[str] = "tokens"
    token_id: str
    token_sha256: str = ""
    viewer: str
    role: str
    profile_id: str | None = None
    posting_owner: str | None = None
    posting_id: str | None = None
    expires_at: datetime | None = None
    issued_by: str = ""


class StageEvent(Event):
    """stage.changed for one (profile, posting) pair."""

    key_field: ClassVar[str] = "profile_id"
    topic: ClassVar[str] = "stages"
    profile_id: str
    posting_id: str
    from_stage: str
    to_stage: str
    actor: str
    actor_role: str
    channel: str = "api"


class ErasureEvent(Event):
    """profile.erased: the profile's key is destroyed; projections drop its data."""

    key_field: ClassVar[str] = "profile_id"
    topic: ClassVar[str] = "erasures"
    profile_id: str
    reason: str
    requested_by: str
    withdrawn_matches: list[str] = Field(default_factory=list)


class DeadLetter(Event):
    topic: ClassVar[str] = "deadletters"
    source_topic: str
    source_partition: int
    source_offset: int
    source_key: bytes | None = None
    raw_value: bytes | None = None
    error: str
    processor: str

    def key(self) -> str:
        return (self.source_key or b"").decode("utf-8", "replace")


TOPIC_MODELS: dict[str, type[Event]] = {
    m.topic: m
    for m in (
        PostingEvent,
        ProfileEvent,
        CommandEvent,
        RunEvent,
        DecisionEvent,
        DerivationEvent,
        MatchEvent,
        FeedbackEvent,
        AccessEvent,
        TokenEvent,
        StageEvent,
        ErasureEvent,
        DeadLetter,
    )
}


def model_for(topic: str) -> type[Event]:
    try:
        return TOPIC_MODELS[topic]
    except KeyError:
        raise KeyError(f"no event model for topic {topic!r}") from None
