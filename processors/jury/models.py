"""What the jury reads (a scored match and its evidence) and what each member answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from processors.matching.payload import detail_json
from schemas.models import MatchEvent

Verdict = Literal["apply", "apply_address_gap", "skip"]
VERDICT_WORDS: dict[str, str] = {
    "apply": "apply",
    "apply_address_gap": "apply, address the gap",
    "skip": "skip",
}
# A plain pattern on free text keeps control characters out of constrained generation.
TEXT = r"^[^\x00-\x1f]*$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Model):
    """One hybrid-retrieval pointer: the profile's best atom for a requirement."""

    # Pointers may grow fields (provenance, bonuses); the jury reads only these.
    model_config = ConfigDict(frozen=True, extra="ignore")

    requirement_index: int
    requirement: str
    atom_id: str
    source: str
    text: str
    score: float
    found_by: str


class JuryInput(_Model):
    """The match as the jury sees it: scores, components, explanation lines and evidence."""

    profile_id: str
    posting_id: str
    recommendation: str
    blocked: bool
    fit_total: float | None
    fit_label: str
    stretch_total: float | None
    practical_total: float | None
    fit_components: dict[str, float] = Field(default_factory=dict)
    stretch_components: dict[str, float] = Field(default_factory=dict)
    practical_components: dict[str, float] = Field(default_factory=dict)
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    stretch_opportunities: list[str] = Field(default_factory=list)
    blocked_reasons: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class Point(_Model):
    text: str = Field(pattern=TEXT)
    component: str = Field(pattern=TEXT, description="score component the point rests on, or 'evidence'")
    evidence: list[str] = Field(default_factory=list, description="atom ids cited")


class OscarOutput(_Model):
    points: list[Point]


class Gap(_Model):
    component: str = Field(pattern=TEXT, description="e.g. fit.experience, practical.compensation")
    value: float = Field(description="the component's score (0-100 fit/stretch, 0-1 practical)")
    detail: str = Field(pattern=TEXT, description="the gap with its numbers")
    major: bool


class RitaOutput(_Model):
    gaps: list[Gap]


class HelenInput(_Model):
    match: JuryInput
    oscar: OscarOutput
    rita: RitaOutput


class HelenOutput(_Model):
    verdict: Verdict
    reasons: list[str] = Field(min_length=1)
    addresses: list[str] = Field(default_factory=list, description="gap components to address")


def _floats(value: Any) -> dict[str, float]:
    return {k: float(v) for k, v in (value or {}).items() if isinstance(v, int | float)}


def jury_input(match: MatchEvent) -> JuryInput:
    """Read the match event's detail (a scoring result plus evidence) into the jury's input."""
    detail = detail_json(match)
    fit, stretch = detail.get("fit") or {}, detail.get("stretch") or {}
    practical = detail.get("practical") or {}
    explanation = detail.get("explanation") or {}
    nonneg = detail.get("non_negotiables") or {}
    return JuryInput(
        profile_id=match.profile_id,
        posting_id=match.posting_id,
        recommendation=match.recommendation,
        blocked=match.blocked,
        fit_total=None if match.blocked else match.fit_total,
        fit_label=match.fit_label or str(fit.get("label") or ""),
        stretch_total=None if match.blocked else match.stretch_total,
        practical_total=match.practical_total,
        fit_components=_floats(fit.get("components")),
        stretch_components=_floats(stretch.get("components")),
        practical_components=_floats(practical.get("components")),
        strengths=list(explanation.get("strengths") or []),
        gaps=list(explanation.get("gaps") or []),
        warnings=list(explanation.get("warnings") or []),
        stretch_opportunities=list(explanation.get("stretch_opportunities") or []),
        blocked_reasons=list(nonneg.get("failed_reasons") or []),
        evidence=[Evidence.model_validate(e) for e in detail.get("evidence") or []],
    )
