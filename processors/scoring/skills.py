"""Skill matching for the hard-skills component (seed 001 §4.2) and its extensions.

Seed formula: each posting skill found in the profile counts with its proficiency weight;
required skills make 80 points, nice-to-have 20. Names are compared after the taxonomy's
normalisation (synonyms, then fuzzy matching for unknown spellings: seed 001 §4.2.2), so a
skill's key is its taxonomy code when the taxonomy knows it, else its normalised name.

Extensions, each a switch in the configuration:
- adjacency credit (seed 002 §3): a posting skill the profile lacks takes the best
  `adjacency(code, profile code) x proficiency weight` over the profile's hard skills;
- recency and evidence (seed 002 §1): a match is scaled by a factor in (0, 1];
- proof-stack layers: a match is scaled by the requirement's certification / track-record
  factor (see `proof_layers`).

A requirement with alternatives ("Go or Python") is met by any of them: its credit is the
best over the skill and each alternative, and says which alternative it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from processors.scoring.config import ScoringConfig
from processors.scoring.models import ExtractedSkill, ProfileSkill
from processors.taxonomy.model import Taxonomy
from processors.taxonomy.text import normalise

PROFICIENCY_YEARS = {"Learning": 0.5, "Familiar": 1.5, "Proficient": 3.5, "Expert": 6.0}
# Seed 002 levels C1-C5 read as the seed 001 proficiency ladder; C4 (Advanced) and C5 both
# reach Expert's years, the top of that ladder.
COMPETENCY_PROFICIENCY = {
    "C1": "Learning",
    "C2": "Familiar",
    "C3": "Proficient",
    "C4": "Expert",
    "C5": "Expert",
}
DEFAULT_YEARS = 2.0  # seed 001: "Default to mid-range"
NEUTRAL = 70.0


@dataclass(frozen=True)
class Key:
    key: str
    code: str | None


def skill_key(name: str, taxonomy: Taxonomy) -> Key:
    hit = taxonomy.resolve(name)
    if hit is not None:
        return Key(hit[0].code, hit[0].code)
    return Key("n:" + normalise(name), None)


def proficiency_of(skill: ProfileSkill) -> str | None:
    if skill.proficiency is not None:
        return skill.proficiency
    if skill.competency is not None:
        return COMPETENCY_PROFICIENCY[skill.competency]
    return None


def proficiency_years(skill: ProfileSkill) -> float:
    level = proficiency_of(skill)
    return PROFICIENCY_YEARS[level] if level else DEFAULT_YEARS


def proficiency_weight(user_years: float, job_years: float | None) -> float:
    """Seed 001 §4.2.1: 1.0 at or above the requested years, else 15% off per year short, floor 0.2."""
    if job_years is None or user_years >= job_years:
        return 1.0
    return max(0.2, 1.0 - (job_years - user_years) * 0.15)


def _months_between(earlier: date, later: date) -> float:
    return max(0.0, (later - earlier).days / (365.25 / 12))


def recency(skill: ProfileSkill, as_of: date | None, alpha: float) -> float:
    """exp(-alpha x months since last use); 1.0 while in use or when there is no reference day."""
    if skill.last_used is None or skill.last_used in ("present", "ongoing") or as_of is None:
        return 1.0
    parts = [int(p) for p in skill.last_used.split("-")]
    last = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    return math.exp(-alpha * _months_between(last, as_of))


def evidence_strength(skill: ProfileSkill, default: float) -> float:
    """A given strength, else each piece of evidence halves what is still unproven (1, 2, 3 -> .5, .75, .875)."""
    if skill.evidence is None:
        return default
    if isinstance(skill.evidence, list):
        return 1.0 - 0.5 ** len(skill.evidence) if skill.evidence else default
    return float(skill.evidence)


def match_factor(skill: ProfileSkill, config: ScoringConfig) -> float:
    if not config.recency_evidence:
        return 1.0
    r = recency(skill, config.as_of, config.recency_alpha)
    e = evidence_strength(skill, config.default_evidence)
    return (config.recency_floor + (1 - config.recency_floor) * r) * (
        config.evidence_floor + (1 - config.evidence_floor) * e
    )


@dataclass(frozen=True)
class Held:
    """A profile skill ready for matching: its key and what a match with it is worth."""

    skill: ProfileSkill
    key: Key
    years: float
    factor: float


@dataclass(frozen=True)
class Credit:
    job_skill: ExtractedSkill
    key: Key
    weight: float
    matched: Held | None
    adjacency: float  # 1.0 for the same skill, below 1 for a neighbour, 0 when nothing matched
    via: str | None = None  # the alternative that earned the credit, when not the skill itself


def held_skills(
    skills: list[ProfileSkill], taxonomy: Taxonomy, config: ScoringConfig, extra_years: dict[str, float]
) -> list[Held]:
    """The profile's hard skills; with proof layers on, atoms' stated years can raise a skill's years."""
    out: list[Held] = []
    for s in skills:
        if s.type != "Hard":
            continue
        key = skill_key(s.name, taxonomy)
        years = proficiency_years(s)
        if config.proof_stack_layers:
            years = max(years, extra_years.get(key.key, 0.0))
        out.append(Held(s, key, years, match_factor(s, config)))
    return out


def credit(job: ExtractedSkill, held: list[Held], taxonomy: Taxonomy, config: ScoringConfig) -> Credit:
    """The best match for `job` or one of its alternatives; on a tie the skill itself, then the first named."""
    key = skill_key(job.name, taxonomy)
    best = Credit(job, key, 0.0, None, 0.0)
    # The credit keeps the skill's key whichever alternative matched: proof factors are the requirement's.
    asked = [(None, key), *((name, skill_key(name, taxonomy)) for name in job.alternatives)]
    for via, want in asked:
        for h in held:
            if h.key.key == want.key:
                adj = 1.0
            elif config.adjacency_credit and h.key.code and want.code:
                adj = taxonomy.adjacency(want.code, h.key.code, config.adjacency_lambda)
            else:
                continue
            weight = adj * proficiency_weight(h.years, job.years_experience) * h.factor
            if weight > best.weight or (best.matched is None and adj > 0):
                best = Credit(job, key, weight, h, adj, via)
    return best


def hard_skills_score(credits: list[Credit], proof: dict[tuple[str, bool], float] | None = None) -> float:
    """Seed 001 §4.2.1 over per-skill credits (already weighted); `proof` scales each by its layers."""
    required = [c for c in credits if c.job_skill.is_required]
    nice = [c for c in credits if not c.job_skill.is_required]
    if not required and not nice:
        return NEUTRAL

    def total(cs: list[Credit]) -> float:
        return sum(c.weight * (proof or {}).get((c.key.key, c.job_skill.is_required), 1.0) for c in cs)

    required_score = total(required) / len(required) * 80 if required else 80.0
    nice_score = total(nice) / len(nice) * 20 if nice else 0.0
    return required_score + nice_score
