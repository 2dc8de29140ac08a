"""Invariants over random profiles and postings (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processors.scoring.batch import fit_matrix, fit_reference
from processors.scoring.config import DEFAULT, baseline
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.similarity import lexical_similarity
from processors.scoring.skills import PROFICIENCY_YEARS, proficiency_weight

from .helpers import TAXONOMY, run

NAMES = [
    "Python",
    "Go",
    "Rust",
    "SQL",
    "PostgreSQL",
    "MySQL",
    "Docker",
    "Kubernetes",
    "React",
    "Redis",
    "Cobol-ish",
]
SOFT = ["Teamwork", "Mentoring", "Communication", "Leadership"]
TITLES = ["Software Engineer", "Senior Data Engineer", "VP Engineering", "Junior Analyst", "Baker", ""]
LEVELS = list(PROFICIENCY_YEARS)
CONFIGS = st.sampled_from([DEFAULT, baseline()])

years = st.none() | st.integers(0, 12).map(float)


@st.composite
def profiles(draw, min_skills=0):
    hard = draw(st.lists(st.sampled_from(NAMES), min_size=min_skills, max_size=5, unique=True))
    soft = draw(st.lists(st.sampled_from(SOFT), max_size=2, unique=True))
    skills = [
        {
            "name": n,
            "proficiency": draw(st.none() | st.sampled_from(LEVELS)),
            "evidence": draw(st.none() | st.floats(0, 1)),
            "last_used": draw(st.sampled_from([None, "present", "2024-03"])),
        }
        for n in hard
    ] + [{"name": n, "type": "Soft"} for n in soft]
    return Profile.model_validate(
        {
            "id": "p",
            "current_role": draw(st.sampled_from(TITLES)),
            "years_experience": draw(years),
            "skills": skills,
            "career_change_mode": draw(st.booleans()),
            "non_negotiables": {
                "remote_preference": draw(st.sampled_from(["Remote Only", "Hybrid OK", "Onsite OK"])),
                "minimum_base_salary": draw(st.none() | st.sampled_from([50_000.0, 120_000.0])),
                "commutable_cities": draw(st.sampled_from([[], ["Berlin"]])),
            },
            "growth_targets": {"target_roles": draw(st.lists(st.sampled_from(TITLES[:4]), max_size=2))},
            "languages": draw(st.sampled_from([[], ["English"]])),
        }
    )


@st.composite
def postings(draw):
    skills = [
        {"name": n, "is_required": draw(st.booleans()), "years_experience": draw(years)}
        for n in draw(st.lists(st.sampled_from(NAMES), max_size=5, unique=True))
    ] + [{"name": n, "type": "Soft"} for n in draw(st.lists(st.sampled_from(SOFT), max_size=2, unique=True))]
    lo = draw(years)
    return DerivedPosting.model_validate(
        {
            "title": draw(st.sampled_from(TITLES[:5])),
            "work_model": draw(st.sampled_from([None, "Remote", "Hybrid", "Onsite"])),
            "location": draw(st.sampled_from([None, "Berlin", "Munich"])),
            "salary_max": draw(st.none() | st.sampled_from([90_000.0, 150_000.0])),
            "years_experience_min": lo,
            "years_experience_max": None if lo is None else draw(st.none() | st.just(lo + 3)),
            "extracted_skills": skills,
            "languages_required": draw(st.sampled_from([[], ["English"]])),
        }
    )


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(profiles(), postings(), CONFIGS)
def test_totals_stay_in_range(p, q, config):
    r = run(p, q, config)
    for total in (r.fit.total, r.stretch.total, r.fit.exact):
        assert total is None or 0 <= total <= 100
    assert 0 <= r.practical.total <= 100 + 1e-9
    assert all(0 <= v <= 1 for v in r.practical.components.model_dump().values())
    if r.fit.components is not None:
        assert all(0 <= v <= 100 for v in r.fit.components.model_dump().values())


@FAST
@given(profiles(), postings(), CONFIGS, st.sampled_from(LEVELS))
def test_adding_a_required_skill_never_lowers_fit(p, q, config, level):
    wanted = [s for s in q.extracted_skills if s.is_required and s.type == "Hard"]
    if not wanted:
        return
    name = wanted[0].name
    extra = Profile.model_validate({"id": "x", "skills": [{"name": name, "proficiency": level}]}).skills
    before = run(p, q, config)
    after = run(p.model_copy(update={"skills": [*p.skills, *extra]}), q, config)
    if after.fit.exact is not None:
        assert after.fit.exact >= (before.fit.exact or 0.0) - 1e-9
    assert not (before.fit.exact is not None and after.fit.exact is None)


@FAST
@given(profiles(min_skills=1), postings())
def test_hard_gate_failure_means_no_fit(p, q):
    gated = q.model_copy(
        update={
            "languages_required": [
                *q.languages_required,
                *DerivedPosting.model_validate(
                    {"title": "x", "languages_required": ["Klingon"]}
                ).languages_required,
            ]
        }
    )
    r = run(p, gated)
    assert r.practical.hard_fail and r.fit.total is None and r.fit.components is None
    assert r.recommendation == "Blocked"


def _seed_hard_skills(p: Profile, q: DerivedPosting) -> float:
    """Seed 001 §4.2.1 written out again, independently of the implementation."""
    mine = {}
    for s in p.skills:
        if s.type == "Hard":
            hit = TAXONOMY.resolve(s.name)
            mine[hit[0].code if hit else s.name.lower()] = s
    req = [s for s in q.extracted_skills if s.is_required and s.type == "Hard"]
    nice = [s for s in q.extracted_skills if not s.is_required and s.type == "Hard"]
    if not req and not nice:
        return 70.0

    def weight(job):
        hit = TAXONOMY.resolve(job.name)
        s = mine.get(hit[0].code if hit else job.name.lower())
        if s is None:
            return 0.0
        user = PROFICIENCY_YEARS.get(s.proficiency or "", 2.0)
        return proficiency_weight(user, job.years_experience)

    r = sum(weight(j) for j in req) / len(req) * 80 if req else 80
    n = sum(weight(j) for j in nice) / len(nice) * 20 if nice else 0
    return r + n


@FAST
@given(profiles(min_skills=1), postings())
def test_baseline_hard_skills_equal_the_seed(p, q):
    p = p.model_copy(
        update={"non_negotiables": Profile.model_validate({"id": "x"}).non_negotiables, "languages": []}
    )
    q = q.model_copy(update={"languages_required": []})
    r = run(p, q, baseline())
    assert r.fit.components is not None
    assert abs(r.fit.components.hard_skills - _seed_hard_skills(p, q)) < 1e-9


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), min_size=1, max_size=4), st.lists(postings(), min_size=1, max_size=5), CONFIGS)
def test_batch_equals_per_pair(ps, qs, config):
    fast = fit_matrix(ps, qs, config, lexical_similarity, TAXONOMY)
    slow = fit_reference(ps, qs, config, lexical_similarity, TAXONOMY)
    assert np.array_equal(np.isnan(fast), np.isnan(slow))
    assert np.allclose(fast, slow, rtol=0, atol=1e-9, equal_nan=True)


def test_batch_handles_an_empty_profile_vocabulary_with_adjacency_on() -> None:
    # Found by hypothesis in CI: no profile skills at all, one posting skill, adjacency credit on.
    ps = [
        Profile(
            id="p", current_role="Software Engineer", non_negotiables={"remote_preference": "Remote Only"}
        )
    ]
    qs = [
        DerivedPosting(
            title="Software Engineer",
            extracted_skills=[{"name": "Python", "type": "Hard", "is_required": False}],
        )
    ]
    fast = fit_matrix(ps, qs, DEFAULT, lexical_similarity, TAXONOMY)
    slow = fit_reference(ps, qs, DEFAULT, lexical_similarity, TAXONOMY)
    assert np.array_equal(fast, slow, equal_nan=True)
