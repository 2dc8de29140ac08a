"""What a run reads (the posting, its latest derivation) and what it accumulates step by step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from processors.lily.model import Decomposition
from schemas.limits import storable_text
from schemas.models import CommandEvent, DecisionEvent, PostingContent


@dataclass(frozen=True)
class PostingState:
    """The posting as projected when the run starts, with the history the ghost score needs."""

    posting_id: str
    event_id: str
    content: PostingContent
    status: str
    first_seen_at: datetime
    times_seen: int = 1
    times_changed: int = 0


@dataclass(frozen=True)
class PriorDerivation:
    """The posting's derivation in force: steps before the start step reuse its outputs."""

    version: int
    event_id: str
    posting_event_id: str
    summary: str | None
    culture_text: str | None
    requirements: list[dict[str, Any]]
    responsibilities: list[str]
    skills: list[dict[str, Any]]
    red_flags: dict[str, Any]
    ihl_score: float | None
    red_flag_category: str | None
    ghost_score: float | None
    decision_ids: list[str]

    @property
    def requirement_texts(self) -> list[str]:
        return [str(r["text"]) for r in self.requirements]

    @property
    def decompositions(self) -> list[Decomposition]:
        return [Decomposition(text=r["text"], proof_stacks=r["proof_stacks"]) for r in self.requirements]


@dataclass(frozen=True)
class RunInput:
    command: CommandEvent
    posting: PostingState | None
    prior: PriorDerivation | None
    next_version: int
    # step -> decision event id of the prior derivation's decisions (what reused outputs came from)
    prior_decisions: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class RunWork:
    """A run in flight. Outputs fill in as steps complete; `failed` stops it."""

    input: RunInput
    run_id: str
    engines: dict[str, str]
    start_step: str
    summary: str | None = None
    summary_grades: list[dict[str, Any]] = field(default_factory=list)
    summary_passed: bool = True
    improved: bool = False
    requirements: list[str] = field(default_factory=list)
    responsibilities: list[str] = field(default_factory=list)
    culture_text: str = ""
    decompositions: list[Decomposition] = field(default_factory=list)
    lily_decisions: list[str] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    verdict: dict[str, Any] | None = None
    ghost: dict[str, Any] | None = None
    decisions: list[DecisionEvent] = field(default_factory=list)
    own_ids: set[str] = field(default_factory=set)  # ids of `decisions`, for membership tests
    # what each later step read: task -> decision ids
    sources: dict[str, list[str]] = field(default_factory=dict)
    failed: str | None = None
    failed_step: str | None = None

    @property
    def posting(self) -> PostingState:
        assert self.input.posting is not None
        return self.input.posting

    @property
    def posting_id(self) -> str:
        return self.input.command.posting_id

    def fail(self, step: str, reason: str) -> None:
        if self.failed is None:
            # The reason may quote what an engine or the input held; it goes on the log as is.
            self.failed, self.failed_step = storable_text(reason), step

    def requirements_json(self) -> str:
        rows = []
        for i, d in enumerate(self.decompositions):
            rows.append(
                {
                    "index": i,
                    "text": d.text,
                    "proof_stacks": [p.model_dump(mode="json") for p in d.proof_stacks],
                    "decision_id": self.lily_decisions[i] if i < len(self.lily_decisions) else None,
                }
            )
        return json.dumps(rows, ensure_ascii=False, sort_keys=True)
