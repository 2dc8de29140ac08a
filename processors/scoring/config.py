"""Scoring configuration: the seeds' weights and thresholds, and the switches for our extensions.

Seed 001 (REQ-008) gives the Fit and Stretch weights, labels and neutral values; seed 002 §5
the practical-fit weights and gates, §1 the recency decay, §3 the adjacency λ. The three
extensions (adjacency credit, proof-stack layers, recency/evidence weighting) are on by
default; `baseline()` turns them off so every component is the seeds' formula and nothing else.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

FIT_COMPONENTS = ("hard_skills", "soft_skills", "experience", "role_match", "logistics")
STRETCH_COMPONENTS = ("target_role", "target_skills", "growth_trajectory")
PRACTICAL_COMPONENTS = (
    "compensation",
    "availability",
    "timezone",
    "location",
    "language",
    "work_auth",
    "benefits",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_sum(weights: dict[str, float], names: tuple[str, ...], what: str) -> None:
    if set(weights) != set(names):
        raise ValueError(f"{what} weights must name exactly {', '.join(names)}")
    if abs(sum(weights.values()) - 1.0) > 1e-9:
        raise ValueError(f"{what} weights must add up to 1, got {sum(weights.values()):.4f}")


class ScoringConfig(_Frozen):
    # Seed 001 §4.1 and §9.2 / §9.4.
    fit_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "hard_skills": 0.40,
            "soft_skills": 0.15,
            "experience": 0.25,
            "role_match": 0.10,
            "logistics": 0.10,
        }
    )
    executive_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "hard_skills": 0.25,
            "soft_skills": 0.30,
            "experience": 0.25,
            "role_match": 0.10,
            "logistics": 0.10,
        }
    )
    # Seed 001 §9.2 raises soft skills to 25%; the 10 points come out of hard skills, the
    # component a career changer is expected to be weakest on.
    career_change_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "hard_skills": 0.30,
            "soft_skills": 0.25,
            "experience": 0.25,
            "role_match": 0.10,
            "logistics": 0.10,
        }
    )
    stretch_weights: dict[str, float] = Field(
        default_factory=lambda: {"target_role": 0.50, "target_skills": 0.40, "growth_trajectory": 0.10}
    )
    # Seed 002 §5.1's table adds up to 105%; we keep its numbers and divide by their sum, so the
    # relative importance is the seed's and the total still tops out at 100.
    practical_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "compensation": 0.25,
            "availability": 0.20,
            "timezone": 0.10,
            "location": 0.20,
            "language": 0.15,
            "work_auth": 0.10,
            "benefits": 0.05,
        }
    )
    # Seed 001 §7.
    fit_thresholds: tuple[tuple[float, str], ...] = (
        (90, "Excellent"),
        (75, "Good"),
        (60, "Fair"),
        (40, "Stretch"),
        (0, "Poor"),
    )
    stretch_thresholds: tuple[tuple[float, str], ...] = (
        (80, "High Growth"),
        (60, "Moderate Growth"),
        (40, "Lateral"),
        (0, "Low Growth"),
    )
    auto_draft_threshold: float = 90
    no_skills_fit: float = 50.0  # seed 001 §9.1: a posting with no extracted skills
    ghost_warning: float = 60.0
    # Seed 001 §9.3 says "boost" without a number: an entry-level role never scores a
    # newcomer's experience below this.
    entry_level_experience_floor: float = 90.0
    career_change_industry_boost: float = 10.0
    # Seed 002.
    adjacency_lambda: float = Field(default=0.7, gt=0)
    recency_alpha: float = Field(default=0.0578, gt=0)  # 12-month half-life
    comp_k: float = Field(default=10.0, gt=0)
    commute_radius_km: float = Field(default=30.0, gt=0)
    work_hours: tuple[int, int] = (9, 17)
    gate_language: bool = True
    gate_work_auth: bool = True
    gate_compensation: bool = False
    gate_location: bool = False
    location_gate_floor: float = 0.05
    # Recency and evidence scale a match between a floor and 1: stale or unproven skills
    # still count, they just count less (seed 002 §1.6 "weighted higher", no numbers given).
    recency_floor: float = Field(default=0.5, ge=0, le=1)
    evidence_floor: float = Field(default=0.7, ge=0, le=1)
    default_evidence: float = Field(default=0.5, ge=0, le=1)
    # Proof-stack layers (seed 000): what a match keeps when a layer is not evidenced.
    missing_certification: float = Field(default=0.5, ge=0, le=1)
    track_record_compensates: float = Field(default=0.9, ge=0, le=1)
    missing_track_record: float = Field(default=0.7, ge=0, le=1)
    # Extension switches.
    adjacency_credit: bool = True
    proof_stack_layers: bool = True
    recency_evidence: bool = True
    occupation_titles: bool = True  # role match: titles naming the same taxonomy occupation
    # The reference day for recency; the domain never reads the clock (replays stay equal).
    as_of: date | None = None
    max_suggestions: int = Field(default=8, ge=0)

    @model_validator(mode="after")
    def _weights_add_up(self) -> ScoringConfig:
        _check_sum(self.fit_weights, FIT_COMPONENTS, "fit")
        _check_sum(self.executive_weights, FIT_COMPONENTS, "executive")
        _check_sum(self.career_change_weights, FIT_COMPONENTS, "career-change")
        _check_sum(self.stretch_weights, STRETCH_COMPONENTS, "stretch")
        if (
            set(self.practical_weights) != set(PRACTICAL_COMPONENTS)
            or min(self.practical_weights.values()) < 0
        ):
            raise ValueError(
                f"practical weights must name exactly {', '.join(PRACTICAL_COMPONENTS)}, none negative"
            )
        return self

    def baseline(self) -> ScoringConfig:
        """The same configuration with every extension off: the seeds' formulas only."""
        return self.model_copy(
            update={
                "adjacency_credit": False,
                "proof_stack_layers": False,
                "recency_evidence": False,
                "occupation_titles": False,
            }
        )


DEFAULT = ScoringConfig()


def baseline() -> ScoringConfig:
    return DEFAULT.baseline()
