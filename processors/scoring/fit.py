"""Fit score (seed 001 §4): five components, weighted, rounded; the mode picks the weights.

Soft skills and role titles use the injected similarity (see `similarity`). Deviations from
the seed's code, each because the code as written breaks on a case the text clearly means:
- experience compares with `is not None`: the seed's truthiness test returns nothing at all
  for "0+ years" (min 0, no max); here that is a met requirement (100);
- an entry-level role with a newcomer (< 2 years) floors experience at
  `entry_level_experience_floor` (seed §9.3 asks for a boost without a number).
"""

from __future__ import annotations

from dataclasses import dataclass

from processors.scoring.config import ScoringConfig
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.nonneg import commutable, work_model
from processors.scoring.similarity import Similarity
from processors.scoring.skills import NEUTRAL
from processors.scoring.titles import is_entry_level, is_executive, normalize_title, same_occupation
from processors.taxonomy.model import Taxonomy


def _canonical(name: str, taxonomy: Taxonomy) -> str:
    hit = taxonomy.resolve(name)
    return hit[0].name if hit else name


def soft_text(names: list[str], taxonomy: Taxonomy) -> str:
    """Soft skills as one text, in taxonomy spelling so synonyms read alike (seed 001 §6.3 joins with |)."""
    return " | ".join(_canonical(n, taxonomy) for n in names)


def soft_skills_score(
    profile: Profile, posting: DerivedPosting, taxonomy: Taxonomy, sim: Similarity
) -> float:
    job_soft = [s.name for s in posting.extracted_skills if s.type == "Soft"]
    if not job_soft:
        return NEUTRAL
    mine = [s.name for s in profile.skills if s.type == "Soft"]
    similarity = sim(soft_text(mine, taxonomy), soft_text(job_soft, taxonomy)) if mine else 0.0
    return (similarity + 1) * 50


def experience_score(user_years: float | None, job_min: float | None, job_max: float | None) -> float:
    years = user_years or 0.0
    if job_min is None and job_max is None:
        return NEUTRAL
    if job_min is not None and years < job_min:
        return max(0.0, 100 - (job_min - years) * 15)
    if job_max is not None and years > job_max:
        return max(50.0, 100 - (years - job_max) * 5)
    return 100.0


def user_titles(profile: Profile) -> list[str]:
    return [t for t in [profile.current_role, *(w.job_title for w in profile.work_history)] if t.strip()]


def role_match_score(
    profile: Profile, posting: DerivedPosting, sim: Similarity, occupations: Taxonomy | None = None
) -> float:
    """`occupations`: when given (not in the seeds' baseline), a title naming the posting's
    occupation is a full match, as a normalised title equal to it is."""
    titles = user_titles(profile)
    target = normalize_title(posting.title)
    if any(normalize_title(t) == target for t in titles):
        return 100.0
    if occupations is not None and same_occupation(titles, posting.title, occupations):
        return 100.0
    # Seed 001 embeds the titles together; with a pairwise similarity the closest title speaks for them.
    similarity = max((sim(normalize_title(t), target) for t in titles), default=0.0)
    return max(0.0, (similarity + 1) * 50)


def logistics_score(profile: Profile, posting: DerivedPosting) -> float:
    pref = profile.non_negotiables.remote_preference
    model = work_model(posting)
    score = 100.0
    if pref == "Remote Only":
        score = {"Remote": 100.0, "Hybrid": 50.0}.get(model, 0.0)
    elif pref == "Hybrid OK":
        score = 100.0 if model in ("Remote", "Hybrid") else 60.0
    cities = profile.non_negotiables.commutable_cities
    if model != "Remote" and cities and not commutable(posting.location, cities):
        score *= 0.7
    return score


def mode(profile: Profile, posting: DerivedPosting) -> str:
    if is_executive(posting.title):
        return "executive"
    if profile.career_change_mode:
        return "career_change"
    return "standard"


def weights_for(which: str, config: ScoringConfig) -> dict[str, float]:
    return {
        "executive": config.executive_weights,
        "career_change": config.career_change_weights,
    }.get(which, config.fit_weights)


def entry_level_boost(profile: Profile, posting: DerivedPosting) -> bool:
    years = profile.years_experience or 0.0
    return years < 2 and is_entry_level(
        posting.title, posting.years_experience_min, posting.years_experience_max
    )


@dataclass(frozen=True)
class FitParts:
    components: dict[str, float]
    weights: dict[str, float]
    exact: float
    mode: str


def fit_parts(
    profile: Profile,
    posting: DerivedPosting,
    hard: float,
    taxonomy: Taxonomy,
    sim: Similarity,
    config: ScoringConfig,
) -> FitParts:
    experience = experience_score(
        profile.years_experience, posting.years_experience_min, posting.years_experience_max
    )
    if entry_level_boost(profile, posting):
        experience = max(experience, config.entry_level_experience_floor)
    components = {
        "hard_skills": hard,
        "soft_skills": soft_skills_score(profile, posting, taxonomy, sim),
        "experience": experience,
        "role_match": role_match_score(profile, posting, sim, taxonomy if config.occupation_titles else None),
        "logistics": logistics_score(profile, posting),
    }
    which = mode(profile, posting)
    weights = weights_for(which, config)
    exact = sum(components[k] * weights[k] for k in components)
    if not posting.extracted_skills:
        exact = config.no_skills_fit  # seed 001 §9.1: neutral, flagged for review
    return FitParts(components, weights, exact, which)
