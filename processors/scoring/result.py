"""The scoring answer, shaped as issue 4's JSON contract.

Scales: Fit and Stretch totals and components are 0-100 (seed 001); practical sub-scores are
0-1 as seed 002 §5 defines them, and the practical total is their weighted sum times 100 so
every total reads on the same 0-100 scale.

A blocked pair (a failed non-negotiable, a failed practical hard gate, or a profile without
skills) has `fit.total`/`stretch.total` None, no components and the label "blocked"; the
reasons are in `non_negotiables.failed_reasons`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BLOCKED = "blocked"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FitComponents(_Model):
    hard_skills: float
    soft_skills: float
    experience: float
    role_match: float
    logistics: float


class StretchComponents(_Model):
    target_role: float
    target_skills: float
    growth_trajectory: float


class PracticalComponents(_Model):
    compensation: float
    availability: float
    timezone: float
    location: float
    language: float
    work_auth: float
    benefits: float


class FitResult(_Model):
    total: float | None
    label: str
    components: FitComponents | None
    weights: dict[str, float]
    # The unrounded weighted sum: suggestion deltas are differences of this, never estimates.
    exact: float | None = None
    mode: Literal["standard", "executive", "career_change"] = "standard"


class StretchResult(_Model):
    total: float | None
    label: str
    components: StretchComponents | None
    weights: dict[str, float]
    exact: float | None = None


class PracticalResult(_Model):
    total: float
    components: PracticalComponents
    hard_fail: bool
    hard_fail_reasons: list[str] = Field(default_factory=list)


class NonNegotiablesResult(_Model):
    passed: bool
    failed_reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Explanation(_Model):
    summary: str
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    stretch_opportunities: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


SuggestionType = Literal["add_skill", "add_evidence", "raise_proficiency", "relax_preference"]


class Suggestion(_Model):
    type: SuggestionType
    target: str
    delta: float  # exact change of the fit total after re-scoring (a blocked fit counts as 0)
    rationale: str


class ScoreResult(_Model):
    profile_id: str
    posting_id: str | None
    fit: FitResult
    stretch: StretchResult
    practical: PracticalResult
    non_negotiables: NonNegotiablesResult
    ghost_score: float | None
    recommendation: str
    auto_draft: bool
    needs_review: bool
    explanation: Explanation
    suggestions: list[Suggestion] = Field(default_factory=list)
    extensions: dict[str, bool] = Field(default_factory=dict)
