"""A requirement with alternatives ("Go or Python") is met by any of them, and says which."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.linking_index import default_linker
from processors.lily import hybrid
from processors.lily.model import Decomposition, ProofStack, SkillLayer
from processors.linking.linker import Linker
from processors.scoring.batch import fit_matrix, fit_reference
from processors.scoring.config import DEFAULT
from processors.scoring.from_posting import derived_fields, derived_posting
from processors.scoring.models import DerivedPosting, ExtractedSkill
from processors.scoring.similarity import lexical_similarity
from schemas.models import PostingContent

from .helpers import TAXONOMY, posting, profile, run
from .test_properties import NAMES, postings, profiles

CONTENT = PostingContent(
    title="Backend Engineer", company="Acme", location="", description="x", source="file"
)


def go_or_python(**fields: object) -> DerivedPosting:
    return posting(extracted_skills=[{"name": "Go", "alternatives": ["Python"], **fields}])


def test_an_input_without_alternatives_loads_and_dumps_as_before() -> None:
    skill = ExtractedSkill.model_validate({"name": "Go"})
    assert skill.alternatives == [] and "alternatives" not in skill.model_dump()
    assert ExtractedSkill(name="Go", alternatives=["Python"]).model_dump()["alternatives"] == ["Python"]


def test_any_alternative_meets_the_requirement_and_the_explanation_names_it() -> None:
    python = profile(skills=[{"name": "Python", "proficiency": "Expert"}])
    met = run(python, go_or_python())
    assert met.fit.components is not None and met.fit.components.hard_skills == 80.0
    assert any("Python (one of Go or Python)" in s for s in met.explanation.strengths)
    alone = run(python, posting(extracted_skills=[{"name": "Go"}]))
    assert alone.fit.components is not None and alone.fit.components.hard_skills == 0.0


def test_a_requirement_none_of_whose_alternatives_is_held_is_missing_as_a_whole() -> None:
    result = run(profile(skills=[{"name": "Rust", "proficiency": "Expert"}]), go_or_python())
    assert "Missing required skills: Go or Python" in result.explanation.gaps


def test_the_best_alternative_counts_and_the_skill_itself_wins_a_tie() -> None:
    both = profile(
        skills=[{"name": "Go", "proficiency": "Learning"}, {"name": "Python", "proficiency": "Expert"}]
    )
    result = run(both, go_or_python(years_experience=5))
    assert result.fit.components is not None and result.fit.components.hard_skills == 80.0
    assert any("Python (one of Go or Python)" in s for s in result.explanation.strengths)
    equal = profile(
        skills=[{"name": "Go", "proficiency": "Expert"}, {"name": "Python", "proficiency": "Expert"}]
    )
    strengths = run(equal, go_or_python()).explanation.strengths
    assert any("Go" in s for s in strengths) and not any("one of" in s for s in strengths)


def test_stack_alternatives_become_bridged_alternatives_of_one_skill() -> None:
    esco = "http://data.europa.eu/esco/skill/"
    go = SkillLayer(name="Go", confidence=0.9, uri=esco + "go")
    python = SkillLayer(name="Python (computer programming)", confidence=0.9, uri=esco + "python")
    stack = ProofStack(skill=go, alternatives=[python, go], parse_confidence=0.9)
    fields = derived_fields(
        "q", CONTENT, [Decomposition(text="Go or Python", proof_stacks=[stack])], TAXONOMY
    )
    assert fields["extracted_skills"] == [
        {
            "name": "Go",
            "type": "Hard",
            "is_required": True,
            "years_experience": None,
            "alternatives": ["Python"],
        }
    ]


@pytest.fixture(scope="module")
def esco_linker() -> Linker:
    return default_linker("esco")


def test_hybrid_1_go_or_python_is_met_by_a_python_profile(esco_linker: Linker) -> None:
    line = "Proficiency in Go or Python"
    stacks = hybrid.decompose(line, esco_linker, TAXONOMY)
    q = derived_posting("q", CONTENT, [Decomposition(text=line, proof_stacks=stacks)], None, TAXONOMY)
    assert [(s.name, s.alternatives) for s in q.extracted_skills] == [("Go", ["Python"])]
    result = run(profile(skills=[{"name": "Python", "proficiency": "Expert"}]), q)
    assert result.fit.components is not None and result.fit.components.hard_skills == 80.0


@st.composite
def with_alternatives(draw: st.DrawFn) -> DerivedPosting:
    q = draw(postings())
    skills = [
        s.model_copy(update={"alternatives": draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True))})
        if s.type == "Hard"
        else s
        for s in q.extracted_skills
    ]
    return q.model_copy(update={"extracted_skills": skills})


SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(st.lists(profiles(), min_size=1, max_size=4), st.lists(with_alternatives(), min_size=1, max_size=5))
def test_batch_equals_per_pair_with_alternatives(ps, qs) -> None:
    fast = fit_matrix(ps, qs, DEFAULT, lexical_similarity, TAXONOMY)
    slow = fit_reference(ps, qs, DEFAULT, lexical_similarity, TAXONOMY)
    assert np.array_equal(np.isnan(fast), np.isnan(slow))
    assert np.allclose(fast, slow, rtol=0, atol=1e-9, equal_nan=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(min_skills=1), with_alternatives())
def test_alternatives_never_lower_the_hard_skills_score(p, q) -> None:
    plain = q.model_copy(
        update={"extracted_skills": [s.model_copy(update={"alternatives": []}) for s in q.extracted_skills]}
    )
    with_alts, without = run(p, q, DEFAULT), run(p, plain, DEFAULT)
    if with_alts.fit.components is not None and without.fit.components is not None:
        assert with_alts.fit.components.hard_skills >= without.fit.components.hard_skills - 1e-9
