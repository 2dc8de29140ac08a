"""Suggestions are exact re-scores; explanations read at a glance."""

from __future__ import annotations

import pytest

from processors.scoring.config import DEFAULT
from processors.scoring.score import score

from .helpers import TAXONOMY, posting, profile, run


def _pair():
    p = profile(
        skills=[
            {"name": "Python", "proficiency": "Familiar", "evidence": 0.2},
            {"name": "SQL", "proficiency": "Expert"},
        ],
        non_negotiables={"remote_preference": "Hybrid OK"},
    )
    q = posting(
        work_model="Hybrid",
        extracted_skills=[
            {"name": "Python", "years_experience": 5},
            {"name": "SQL"},
            {"name": "Go"},
            {"name": "Kubernetes", "is_required": False},
        ],
    )
    return p, q


def test_each_delta_is_the_exact_rescored_difference():
    p, q = _pair()
    r = score(p, q, DEFAULT, taxonomy=TAXONOMY)
    assert r.suggestions
    kinds = {s.type for s in r.suggestions}
    assert {"add_skill", "raise_proficiency", "add_evidence"} <= kinds
    assert [s.delta for s in r.suggestions] == sorted((s.delta for s in r.suggestions), reverse=True)
    go = next(s for s in r.suggestions if s.target == "Go")
    changed = p.model_copy(
        update={"skills": [*p.skills, *profile(skills=[{"name": "Go", "proficiency": "Proficient"}]).skills]}
    )
    again = score(changed, q, DEFAULT, taxonomy=TAXONOMY, suggestions=False)
    assert go.delta == pytest.approx(round(again.fit.exact - r.fit.exact, 2))


def test_relaxing_a_preference_unblocks():
    p = profile(non_negotiables={"remote_preference": "Remote Only"})
    q = posting(work_model="Hybrid")
    r = run(p, q)
    relax = [s for s in r.suggestions if s.type == "relax_preference"]
    assert relax and relax[0].target == "remote_preference"
    unblocked = run(
        p.model_copy(
            update={
                "non_negotiables": p.non_negotiables.model_copy(update={"remote_preference": "Hybrid OK"})
            }
        ),
        q,
    )
    assert relax[0].delta == pytest.approx(round(unblocked.fit.exact, 2))


def test_no_suggestion_lowers_fit():
    p, q = _pair()
    assert all(s.delta > 0 for s in run(p, q).suggestions)


def test_explanation_lists_strengths_and_gaps():
    p, q = _pair()
    ex = run(p, q).explanation
    assert any("Go" in g for g in ex.gaps)
    assert any("SQL" in s for s in ex.strengths)
    assert "fit" in ex.summary and "\n" not in ex.summary
