"""What a run reads (the posting, its latest derivation) and what it accumulates step by step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from processors.lily.model import Decomposition
from processors.steps.models import FlagReview, GhostOutput, GradeOutput, RedFlag, VerdictOutput
from processors.taxonomy.task import MappedSkill
from schemas.limits import storable_text
from schemas.models import CommandEvent, DecisionEvent, PostingContent


class SummaryGrade(GradeOutput):
    """One grader's answer on the summary, named by its task and the round it graded."""

    task: str
    round: int | None = None


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
class RedFlagFindings:
    """What the red-flag and grading steps found: the analyst's flags, the skeptic's reviews,
    the verdict (None when none was reached), the summary's grades and the ghost signals."""

    flags: list[RedFlag] = field(default_factory=list)
    reviews: list[FlagReview] = field(default_factory=list)
    verdict: VerdictOutput | None = None
    summary_grades: list[SummaryGrade] = field(default_factory=list)
    summary_passed: bool = True
    ghost_signals: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, bag: dict[str, Any]) -> RedFlagFindings:
        """Read the JSON object derivations held before schema v3 (and the projection holds)."""
        return cls(
            flags=[RedFlag.model_validate(f) for f in bag.get("flags", [])],
            reviews=[FlagReview.model_validate(r) for r in bag.get("reviews", [])],
            verdict=VerdictOutput.model_validate(bag["verdict"]) if bag.get("verdict") else None,
            summary_grades=[SummaryGrade.model_validate(g) for g in bag.get("summary_grades", [])],
            summary_passed=bool(bag.get("summary_passed", True)),
            ghost_signals=[str(s) for s in bag.get("ghost_signals", [])],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "flags": [f.model_dump(mode="json") for f in self.flags],
            "reviews": [r.model_dump(mode="json") for r in self.reviews],
            "verdict": self.verdict.model_dump(mode="json") if self.verdict else {},
            "summary_grades": [g.model_dump(mode="json") for g in self.summary_grades],
            "summary_passed": self.summary_passed,
            "ghost_signals": list(self.ghost_signals),
        }


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

    @property
    def mapped_skills(self) -> list[MappedSkill]:
        return [MappedSkill.model_validate(s) for s in self.skills]

    @property
    def findings(self) -> RedFlagFindings:
        return RedFlagFindings.from_json(self.red_flags)


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
    summary_grades: list[SummaryGrade] = field(default_factory=list)
    summary_passed: bool = True
    improved: bool = False
    requirements: list[str] = field(default_factory=list)
    responsibilities: list[str] = field(default_factory=list)
    culture_text: str = ""
    decompositions: list[Decomposition] = field(default_factory=list)
    lily_decisions: list[str] = field(default_factory=list)
    skills: list[MappedSkill] = field(default_factory=list)
    flags: list[RedFlag] = field(default_factory=list)
    reviews: list[FlagReview] = field(default_factory=list)
    verdict: VerdictOutput | None = None
    ghost: GhostOutput | None = None
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

    @property
    def findings(self) -> RedFlagFindings:
        return RedFlagFindings(
            flags=list(self.flags),
            reviews=list(self.reviews),
            verdict=self.verdict,
            summary_grades=list(self.summary_grades),
            summary_passed=self.summary_passed,
            ghost_signals=list(self.ghost.signals) if self.ghost else [],
        )

    def fail(self, step: str, reason: str) -> None:
        if self.failed is None:
            # The reason may quote what an engine or the input held; it goes on the log as is.
            self.failed, self.failed_step = storable_text(reason), step
