"""Builders for scoring tests: small profiles and postings with only what a test needs."""

from __future__ import annotations

from typing import Any

from processors.scoring.config import ScoringConfig, baseline
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.result import ScoreResult
from processors.scoring.score import score
from processors.taxonomy.store import builtin

TAXONOMY = builtin()


def profile(**fields: Any) -> Profile:
    doc: dict[str, Any] = {"id": "p", "current_role": "Software Engineer", "years_experience": 5}
    doc.setdefault("skills", [{"name": "Python", "proficiency": "Expert"}])
    doc.update(fields)
    return Profile.model_validate(doc)


def posting(**fields: Any) -> DerivedPosting:
    doc: dict[str, Any] = {"id": "q", "title": "Software Engineer", "work_model": "Remote"}
    doc.setdefault("extracted_skills", [{"name": "Python"}])
    doc.update(fields)
    return DerivedPosting.model_validate(doc)


def const(value: float) -> Any:
    def sim(a: str, b: str) -> float:
        return value

    return sim


def run(p: Profile, q: DerivedPosting, config: ScoringConfig | None = None, sim: Any = None) -> ScoreResult:
    return score(p, q, config or baseline(), sim, taxonomy=TAXONOMY)
