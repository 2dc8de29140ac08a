"""A borderline match event built from a real score, for jury tests."""

from __future__ import annotations

from typing import Any

from processors.matching.match import PostingVersion, ProfileVersion, match_event
from schemas.models import MatchEvent
from tests.processors.scoring.helpers import posting, profile, run

EVIDENCE = {
    "requirement_index": 0,
    "requirement": "Python",
    "atom_id": "atom-1",
    "source": "work_history",
    "text": "Built Python services\nfor payments",
    "score": 0.8,
    "found_by": "lexical",
}


def borderline_match(
    version: int = 1, evidence: list[dict[str, Any]] | None = None, **posting_fields: Any
) -> MatchEvent:
    p = profile(years_experience=3)
    fields: dict[str, Any] = {
        "extracted_skills": [{"name": "Python"}, {"name": "Kubernetes"}],
        "years_experience_min": 6,
    }
    fields.update(posting_fields)
    q = posting(**fields)
    result = run(p, q)
    return match_event(
        ProfileVersion("p", version, f"profile-event-{version}", p),
        PostingVersion("q", 1, "derivation-event-1", q),
        result,
        None,
        "trigger",
        [EVIDENCE] if evidence is None else evidence,
    )
