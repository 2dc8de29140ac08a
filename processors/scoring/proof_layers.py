"""Proof stacks matched layer by layer (seed 000): beyond the seeds' skill-name matching.

A posting requirement's proof stack may ask for a certification and a track record on top of
the skill. The profile's evidence is its atoms (experience claims): structured ones say which
skill, years, certification or outcome they prove; plain-text ones are decomposed with Lily's
rules into the same layers. Per requirement stack:

- certification held -> 1; missing but a track record on the same skill (or one of the same
  outcome category the stack asks for) -> `track_record_compensates` ("15 years at a Big 4
  firm instead of the CPA exam"); missing otherwise -> `missing_certification`;
- track record asked: an outcome of that category on the profile -> 1, else `missing_track_record`;
- the factors multiply; a skill asked for by several stacks takes the lowest.

The factor then scales that skill's hard-skill match (the experience layer already enters the
seed formula as the skill's requested years).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from processors.lily.model import ProofStack
from processors.lily.rules import decompose
from processors.scoring.bridge import bridge
from processors.scoring.config import ScoringConfig
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.skills import skill_key
from processors.taxonomy.model import Taxonomy
from processors.taxonomy.text import normalise


@dataclass
class CandidateProof:
    certifications: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, str | None]] = field(default_factory=list)  # (category, skill key)
    years: dict[str, float] = field(default_factory=dict)  # skill key -> stated years


@dataclass(frozen=True)
class LayerCheck:
    requirement: str
    skill: str | None
    factor: float
    note: str


def _years(value: float, unit: str) -> float:
    return value / 12 if unit == "months" else value


def candidate_proof(profile: Profile, taxonomy: Taxonomy) -> CandidateProof:
    proof = CandidateProof()
    for atom in profile.atoms:
        skill = skill_key(atom.skill, taxonomy).key if atom.skill else None
        structured = atom.certification or atom.outcome or (atom.skill and atom.years is not None)
        if atom.certification:
            proof.certifications.append(atom.certification)
        if atom.outcome:
            proof.outcomes.append((atom.outcome, skill))
        if skill and atom.years is not None:
            proof.years[skill] = max(proof.years.get(skill, 0.0), atom.years)
        if structured or not atom.text.strip():
            continue
        for stack in decompose(atom.text, taxonomy):
            key = skill_key(stack.skill.name, taxonomy).key if stack.skill else None
            if stack.certification:
                proof.certifications.append(stack.certification.name)
            if stack.track_record:
                proof.outcomes.append((stack.track_record.category, key))
            if key and stack.experience:
                y = _years(stack.experience.value, stack.experience.unit)
                proof.years[key] = max(proof.years.get(key, 0.0), y)
    return proof


def _words(text: str) -> set[str]:
    return set(normalise(text).split("_")) - {""}


def holds_certification(asked: str, held: list[str]) -> bool:
    """Same words one way or the other ("AWS Certified Developer" in "... Developer - Associate"), or close spelling."""
    want = _words(asked)
    for name in held:
        have = _words(name)
        if want and have and (want <= have or have <= want):
            return True
        if difflib.SequenceMatcher(None, normalise(asked), normalise(name)).ratio() >= 0.85:
            return True
    return False


def stack_factor(
    stack: ProofStack, key: str | None, proof: CandidateProof, config: ScoringConfig
) -> tuple[float, list[str]]:
    """The stack's certification / track-record factor; `key` is its skill's scoring key."""
    factor, notes = 1.0, []
    asked_category = stack.track_record.category if stack.track_record else None
    has_record = any(
        cat == asked_category or (key is not None and skill == key) for cat, skill in proof.outcomes
    )
    if stack.certification:
        name = stack.certification.name
        if holds_certification(name, proof.certifications):
            notes.append(f"holds {name}")
        elif has_record:
            factor *= config.track_record_compensates
            notes.append(f"no {name}, but a track record compensates")
        else:
            factor *= config.missing_certification
            notes.append(f"{name} not evidenced")
    if stack.track_record:
        if any(cat == asked_category for cat, _ in proof.outcomes):
            notes.append(f"{asked_category} track record evidenced")
        else:
            factor *= config.missing_track_record
            notes.append(f"no {asked_category} track record evidenced")
    return factor, notes


def layer_checks(
    posting: DerivedPosting, proof: CandidateProof, taxonomy: Taxonomy, config: ScoringConfig
) -> tuple[dict[tuple[str, bool], float], list[LayerCheck]]:
    """Per (skill key, is_required): the lowest stack factor; and every check, for explanations."""
    factors: dict[tuple[str, bool], float] = {}
    checks: list[LayerCheck] = []
    for req in posting.requirements:
        for stack in req.proof_stacks:
            if stack.certification is None and stack.track_record is None:
                continue
            # Keyed as the posting's extracted skill is (`from_posting` bridges it the same way).
            key = skill_key(bridge(stack.skill, taxonomy).name, taxonomy).key if stack.skill else None
            factor, notes = stack_factor(stack, key, proof, config)
            skill_name = stack.skill.name if stack.skill else None
            checks.append(LayerCheck(req.text, skill_name, factor, "; ".join(notes)))
            if key is None:
                continue
            slot = (key, stack.requirement_strength == "required")
            factors[slot] = min(factors.get(slot, 1.0), factor)
    return factors, checks
