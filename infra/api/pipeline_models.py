"""Response bodies of the pipeline routes: runs, derivation versions, requirement queries."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import ConfigDict, Field, JsonValue

from infra.api.models import Body, Timestamp
from processors.lily.model import ProofStack

RunStatus = Literal["started", "completed", "failed"]


class Run(Body):
    # `model_config` is the run's own column name, and pydantic's reserved word
    model_config = ConfigDict(extra="ignore", populate_by_name=True, serialize_by_alias=True)

    run_id: uuid.UUID
    posting_id: str
    status: RunStatus
    reason: str
    trigger: str
    requested_by: str
    priority: int
    start_step: str
    engines: dict[str, str] = Field(alias="model_config", description="step -> engine:model used")
    command_event_id: str | None
    started_at: Timestamp
    finished_at: Timestamp | None
    error: str | None
    failed_step: str | None
    derivation_version: int | None
    last_event_id: uuid.UUID


class DerivationVersion(Body):
    version: int
    event_id: uuid.UUID
    run_id: str | None
    reason: str | None
    engine_config: dict[str, str]
    created_at: Timestamp


class DerivationHead(Body):
    posting_id: str
    version: int = Field(description="the version in force")
    event_id: uuid.UUID
    rolled_back_from: int | None
    reason: str | None
    updated_at: Timestamp


class Derivations(Body):
    versions: list[DerivationVersion]
    head: DerivationHead | None = Field(description="null until the posting's first derivation")


class RequirementItem(Body):
    index: int
    text: str
    proof_stacks: list[ProofStack]
    decision_id: str | None


class Derivation(Body):
    version: int
    event_id: str
    posting_event_id: str
    summary: str | None
    culture_text: str | None
    requirements: list[RequirementItem]
    responsibilities: list[str]
    skills: list[dict[str, JsonValue]]
    red_flags: dict[str, JsonValue]
    ihl_score: float | None
    red_flag_category: str | None
    ghost_score: float | None
    decision_ids: list[str]


class RequirementHit(Body):
    posting_id: str
    version: int
    idx: int = Field(description="the requirement's index in the derivation")
    text: str
    proof_stack: ProofStack
