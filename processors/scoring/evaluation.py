"""One pair evaluated before it is worded: what `score`, `explain` and `suggest` all read.

Order: non-negotiables (seed 001 §3) and the practical hard gates (seed 002 §5) first; a
failure, or a profile with no skills, blocks the pair: no fit and no stretch score, label
"blocked", the reasons listed. Otherwise Fit, Stretch and practical fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from processors.scoring import nonneg
from processors.scoring.config import ScoringConfig
from processors.scoring.fit import FitParts, fit_parts
from processors.scoring.labels import auto_draft, fit_label, recommendation, stretch_label
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.practical import PracticalParts, practical_parts
from processors.scoring.proof_layers import LayerCheck, candidate_proof, layer_checks
from processors.scoring.result import (
    BLOCKED,
    Explanation,
    FitComponents,
    FitResult,
    NonNegotiablesResult,
    PracticalComponents,
    PracticalResult,
    ScoreResult,
    StretchComponents,
    StretchResult,
)
from processors.scoring.similarity import Similarity
from processors.scoring.skills import Credit, credit, hard_skills_score, held_skills
from processors.scoring.stretch import StretchParts, stretch_parts
from processors.taxonomy.model import Taxonomy

NO_SKILLS = "Your profile has no skills yet: add them (with proficiency) to get a fit score"


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """Everything computed for one pair, before it is worded; explain and suggest read it."""

    profile: Profile
    posting: DerivedPosting
    config: ScoringConfig
    nonneg: NonNegotiablesResult
    practical: PracticalParts
    blocked: bool
    credits: list[Credit]
    proof_factors: dict[tuple[str, bool], float]
    checks: list[LayerCheck]
    fit: FitParts | None = None  # None when blocked
    stretch: StretchParts | None = None

    @property
    def fit_exact(self) -> float:
        """The unrounded fit, 0 when blocked: what suggestion deltas compare."""
        return self.fit.exact if self.fit is not None else 0.0


def evaluate(
    profile: Profile,
    posting: DerivedPosting,
    config: ScoringConfig,
    sim: Similarity,
    taxonomy: Taxonomy,
) -> Evaluation:
    nn = nonneg.check(profile, posting)
    practical = practical_parts(profile, posting, config)
    reasons = list(nn.failed_reasons)
    if not profile.skills:
        reasons.insert(0, NO_SKILLS)
    reasons += [r for r in practical.hard_fail_reasons if r not in reasons]
    nn = nn.model_copy(update={"passed": not reasons, "failed_reasons": reasons})
    blocked = bool(reasons)

    proof = candidate_proof(profile, taxonomy) if config.proof_stack_layers else None
    held = held_skills(profile.skills, taxonomy, config, proof.years if proof else {})
    hard_jobs = [s for s in posting.extracted_skills if s.type == "Hard"]
    credits = [credit(s, held, taxonomy, config) for s in hard_jobs]
    factors, checks = layer_checks(posting, proof, taxonomy, config) if proof else ({}, [])
    if blocked:
        return Evaluation(
            profile=profile, posting=posting, config=config, nonneg=nn, practical=practical, blocked=True,
            credits=credits, proof_factors=factors, checks=checks,
        )  # fmt: skip
    hard = hard_skills_score(credits, factors)
    fit = fit_parts(profile, posting, hard, taxonomy, sim, config)
    stretch = stretch_parts(profile, posting, taxonomy, sim, config)
    return Evaluation(
        profile=profile, posting=posting, config=config, nonneg=nn, practical=practical, blocked=False,
        credits=credits, proof_factors=factors, checks=checks, fit=fit, stretch=stretch,
    )  # fmt: skip


def result_of(ev: Evaluation) -> ScoreResult:
    """The contract's answer without explanation and suggestions (those are filled by `score`)."""
    config = ev.config
    if ev.fit is None or ev.stretch is None:
        fit = FitResult(total=None, label=BLOCKED, components=None, weights=dict(config.fit_weights))
        stretch = StretchResult(
            total=None, label=BLOCKED, components=None, weights=dict(config.stretch_weights)
        )
    else:
        ft, st = round(ev.fit.exact), round(ev.stretch.exact)
        fit = FitResult(
            total=ft,
            label=fit_label(ft, config),
            components=FitComponents(**ev.fit.components),
            weights=dict(ev.fit.weights),
            exact=ev.fit.exact,
            mode=ev.fit.mode,
        )
        stretch = StretchResult(
            total=st,
            label=stretch_label(st, config),
            components=StretchComponents(**ev.stretch.components),
            weights=dict(ev.stretch.weights),
            exact=ev.stretch.exact,
        )
    practical = PracticalResult(
        total=ev.practical.total,
        components=PracticalComponents(**ev.practical.components),
        hard_fail=bool(ev.practical.hard_fail_reasons),
        hard_fail_reasons=ev.practical.hard_fail_reasons,
    )
    return ScoreResult(
        profile_id=ev.profile.id,
        posting_id=ev.posting.id,
        fit=fit,
        stretch=stretch,
        practical=practical,
        non_negotiables=ev.nonneg,
        ghost_score=ev.posting.ghost_score,
        recommendation=recommendation(fit.total, stretch.total),
        auto_draft=auto_draft(fit.total, config),
        needs_review=not ev.posting.extracted_skills,
        explanation=Explanation(summary=""),
        extensions={
            "adjacency_credit": config.adjacency_credit,
            "proof_stack_layers": config.proof_stack_layers,
            "recency_evidence": config.recency_evidence,
        },
    )
