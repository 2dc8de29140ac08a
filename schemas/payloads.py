"""The typed records inside derivation and match events (schema v3), mirroring their `.avsc`.

These are the wire shapes, deliberately looser than the domain models they carry (no value
limits, no patterns): an event is a fact already checked when it was made, and a reader must
accept every event the log holds. Enums are used only where the set of values is closed; each
has a default symbol so a later version can add one without breaking older readers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RequirementStrength = Literal["required", "preferred", "nice_to_have"]
ExperienceUnit = Literal["years", "months"]
VerdictCategory = Literal["genuine", "uncertain", "suspect"]
FitMode = Literal["standard", "executive", "career_change"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- derivations: requirements and their proof stacks ------------------------------------------


class Mention(_Record):
    text: str
    start: int
    end: int


class SkillLayer(_Record):
    confidence: float
    name: str
    code: str | None = None
    uri: str = ""
    mention: Mention | None = None
    level: str | None = None


class ExperienceLayer(_Record):
    confidence: float
    value: float
    value_max: float | None = None
    unit: ExperienceUnit = "years"
    op: str = ">="
    qualifier: str | None = None
    context: str | None = None


class CertificationLayer(_Record):
    confidence: float
    name: str
    kind: str


class TrackRecordLayer(_Record):
    confidence: float
    category: str
    value: float | None = None
    unit: str | None = None
    context: str | None = None


class ProofStack(_Record):
    skill: SkillLayer | None = None
    experience: ExperienceLayer | None = None
    certification: CertificationLayer | None = None
    track_record: TrackRecordLayer | None = None
    implied_skills: list[str] = Field(default_factory=list)
    requirement_strength: RequirementStrength = "required"
    parse_confidence: float = 0.0
    context_ambiguous: bool = False
    flags: list[str] = Field(default_factory=list)
    alternatives: list[SkillLayer] = Field(default_factory=list)


class RequirementLine(_Record):
    """One requirement line of the posting, its proof stacks and the Lily decision behind them."""

    index: int
    text: str
    proof_stacks: list[ProofStack] = Field(default_factory=list)
    decision_id: str | None = None


# --- derivations: skills, red flags, summary grades ---------------------------------------------


class MappedSkill(_Record):
    name: str
    code: str | None = None
    requirement_index: int = 0
    confidence: float = 0.0
    source: str = "unmapped"
    path: list[str] = Field(default_factory=list)


class RedFlag(_Record):
    code: str
    severity: float
    evidence: str


class FlagReview(_Record):
    code: str
    upheld: bool
    reason: str
    severity: float | None = None


class RedFlagVerdict(_Record):
    ihl_score: float
    category: VerdictCategory = "uncertain"
    rationale: str = ""


class SummaryGrade(_Record):
    passed: bool
    score: float
    reasons: list[str] = Field(default_factory=list)
    task: str = ""
    round: int | None = None


# --- matches: the score, its explanation and suggestions ----------------------------------------


class FitComponents(_Record):
    hard_skills: float
    soft_skills: float
    experience: float
    role_match: float
    logistics: float


class StretchComponents(_Record):
    target_role: float
    target_skills: float
    growth_trajectory: float


class PracticalComponents(_Record):
    compensation: float
    availability: float
    timezone: float
    location: float
    language: float
    work_auth: float
    benefits: float


class FitScore(_Record):
    total: float | None = None
    label: str = ""
    components: FitComponents | None = None
    weights: dict[str, float] = Field(default_factory=dict)
    exact: float | None = None
    mode: FitMode = "standard"


class StretchScore(_Record):
    total: float | None = None
    label: str = ""
    components: StretchComponents | None = None
    weights: dict[str, float] = Field(default_factory=dict)
    exact: float | None = None


class PracticalScore(_Record):
    total: float
    components: PracticalComponents
    hard_fail: bool = False
    hard_fail_reasons: list[str] = Field(default_factory=list)


class NonNegotiables(_Record):
    passed: bool
    failed_reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class MatchScore(_Record):
    """The scores of a match: the three totals with their components, and the gates.

    `profile_id` and `posting_id` are the ids the scorer read in the documents it scored (a
    profile document names itself), kept so the score reads back exactly as it was made."""

    profile_id: str
    posting_id: str | None
    fit: FitScore
    stretch: StretchScore
    practical: PracticalScore
    non_negotiables: NonNegotiables
    auto_draft: bool = False
    needs_review: bool = False
    extensions: dict[str, bool] = Field(default_factory=dict)


class Explanation(_Record):
    summary: str
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    stretch_opportunities: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Suggestion(_Record):
    type: str
    target: str
    delta: float
    rationale: str


class Evidence(_Record):
    """The profile's best experience atom for one matched requirement."""

    requirement_index: int
    requirement: str
    atom_id: str
    source: str | None = None
    text: str = ""
    score: float = 0.0
    found_by: str = ""
