"""Stretch score (seed 001 §5): target role, target skills, growth trajectory.

Career-change mode (seed 001 §9.2) adds `career_change_industry_boost` points, capped at
100, when the posting's industry is one the profile targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from processors.scoring.config import ScoringConfig
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.similarity import Similarity
from processors.scoring.skills import skill_key
from processors.scoring.titles import LEVELS, infer_level, normalize_title
from processors.taxonomy.model import Taxonomy

NEUTRAL = 50.0


def target_role_score(profile: Profile, posting: DerivedPosting, sim: Similarity) -> float:
    targets = [t for t in profile.growth_targets.target_roles if t.strip()]
    if not targets:
        return NEUTRAL
    job = normalize_title(posting.title)
    if any(normalize_title(t) == job for t in targets):
        return 100.0
    similarity = max(sim(normalize_title(t), job) for t in targets)
    return max(0.0, 30 + (similarity + 1) * 35)


def matched_target_skills(profile: Profile, posting: DerivedPosting, taxonomy: Taxonomy) -> list[str]:
    """The target skills the posting asks for, in the profile's spelling."""
    job = {skill_key(s.name, taxonomy).key for s in posting.extracted_skills}
    seen: dict[str, str] = {}
    for name in profile.growth_targets.target_skills:
        key = skill_key(name, taxonomy).key
        if key in job:
            seen.setdefault(key, name)
    return list(seen.values())


def target_skills_score(profile: Profile, posting: DerivedPosting, taxonomy: Taxonomy) -> float:
    if not profile.growth_targets.target_skills:
        return NEUTRAL
    matches = len(matched_target_skills(profile, posting, taxonomy))
    return {0: 20.0, 1: 50.0, 2: 75.0}.get(matches, 100.0)


def growth_trajectory_score(profile: Profile, posting: DerivedPosting) -> float:
    current, job = infer_level(profile.current_role), infer_level(posting.title)
    if current is None or job is None:
        return NEUTRAL
    step = LEVELS.index(job) - LEVELS.index(current)
    return 100.0 if step > 0 else 70.0 if step == 0 else 30.0


@dataclass(frozen=True)
class StretchParts:
    components: dict[str, float]
    weights: dict[str, float]
    exact: float


def stretch_parts(
    profile: Profile, posting: DerivedPosting, taxonomy: Taxonomy, sim: Similarity, config: ScoringConfig
) -> StretchParts:
    components = {
        "target_role": target_role_score(profile, posting, sim),
        "target_skills": target_skills_score(profile, posting, taxonomy),
        "growth_trajectory": growth_trajectory_score(profile, posting),
    }
    weights = config.stretch_weights
    exact = sum(components[k] * weights[k] for k in components)
    industries = {i.casefold() for i in profile.growth_targets.target_industries}
    industry = (posting.company_industry or "").casefold()
    if profile.career_change_mode and industry and industry in industries:
        exact = min(100.0, exact + config.career_change_industry_boost)
    return StretchParts(components, weights, exact)
