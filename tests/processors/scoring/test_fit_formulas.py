"""Seed 001 §4 with our own numbers, extensions off (the baseline)."""

from __future__ import annotations

import pytest

from processors.scoring.fit import experience_score
from processors.scoring.skills import proficiency_weight

from .helpers import const, posting, profile, run


@pytest.mark.parametrize(
    ("user", "job", "expected"),
    [
        (6.0, None, 1.0),
        (6.0, 4, 1.0),
        (3.5, 4, 0.925),  # half a year short: 7.5% off
        (0.5, 3, 0.625),  # 2.5 years short: 37.5% off
        (0.5, 10, 0.2),  # 9.5 years short would be negative: the floor
        (1.5, 5, 0.475),  # the seed's table rounds this to 0.48
    ],
)
def test_proficiency_weight(user, job, expected):
    assert proficiency_weight(user, job) == pytest.approx(expected)


def test_hard_skills_by_hand():
    p = profile(
        skills=[
            {"name": "Go", "proficiency": "Proficient"},
            {"name": "Kafka", "proficiency": "Learning"},
            {"name": "Redis", "proficiency": "Expert"},
        ]
    )
    q = posting(
        extracted_skills=[
            {"name": "Go", "years_experience": 4},
            {"name": "Rust"},
            {"name": "Apache Kafka", "is_required": False, "years_experience": 3},
            {"name": "Redis", "is_required": False},
        ]
    )
    # required (0.925 + 0) / 2 * 80 = 37.0; nice (0.625 + 1.0) / 2 * 20 = 16.25
    assert run(p, q).fit.components.hard_skills == pytest.approx(53.25)


def test_hard_skills_no_nice_to_have_caps_at_80_and_synonyms_match():
    p = profile(skills=[{"name": "JS", "proficiency": "Familiar"}])
    q = posting(extracted_skills=[{"name": "JavaScript"}])
    assert run(p, q).fit.components.hard_skills == pytest.approx(80.0)


def test_hard_skills_only_soft_in_posting_is_neutral():
    q = posting(extracted_skills=[{"name": "Teamwork", "type": "Soft"}])
    assert run(profile(), q).fit.components.hard_skills == 70.0


def test_competency_maps_to_proficiency_years():
    p = profile(skills=[{"name": "Go", "competency": "C2"}])  # Familiar, 1.5 years
    q = posting(extracted_skills=[{"name": "Go", "years_experience": 3}])
    # 1.5 years short: 0.775 * 80
    assert run(p, q).fit.components.hard_skills == pytest.approx(62.0)


def test_unknown_proficiency_is_mid_range():
    p = profile(skills=[{"name": "Go"}])  # 2.0 years
    q = posting(extracted_skills=[{"name": "Go", "years_experience": 4}])
    assert run(p, q).fit.components.hard_skills == pytest.approx(0.7 * 80)


@pytest.mark.parametrize(
    ("user", "lo", "hi", "expected"),
    [
        (3, None, None, 70.0),
        (3, 5, 8, 70.0),
        (6, 5, 8, 100.0),
        (10, 5, 8, 90.0),
        (20, None, 8, 50.0),  # -60 would go below the overqualified floor
        (1, 10, None, 0.0),
        (None, 2, None, 70.0),  # no years on the profile counts as 0
        (4, 0, None, 100.0),  # "0+ years": the seed's code returns nothing here
    ],
)
def test_experience(user, lo, hi, expected):
    assert experience_score(user, lo, hi) == expected


def test_role_match_exact_after_normalisation():
    p = profile(current_role="Sr. Software Developer")
    q = posting(title="Senior Software Engineer")
    assert run(p, q, sim=const(-1.0)).fit.components.role_match == 100.0


def test_role_match_uses_similarity_and_work_history():
    p = profile(current_role="Baker", work_history=[{"job_title": "Pastry Chef", "company": "X"}])
    q = posting(title="Data Analyst")
    assert run(p, q, sim=const(0.2)).fit.components.role_match == pytest.approx(60.0)


def test_soft_skills_similarity_scaled():
    p = profile(skills=[{"name": "Python"}, {"name": "Mentoring", "type": "Soft"}])
    q = posting(extracted_skills=[{"name": "Python"}, {"name": "Teamwork", "type": "Soft"}])
    assert run(p, q, sim=const(0.4)).fit.components.soft_skills == pytest.approx(70.0)
    assert run(p, posting(), sim=const(0.4)).fit.components.soft_skills == 70.0  # none asked: neutral


@pytest.mark.parametrize(
    ("pref", "model", "cities", "location", "expected"),
    [
        ("Onsite OK", "Onsite", [], "Berlin", 100.0),
        ("Hybrid OK", "Remote", [], None, 100.0),
        ("Onsite OK", "Hybrid", ["Berlin"], "Berlin, Germany", 100.0),
    ],
)
def test_logistics(pref, model, cities, location, expected):
    p = profile(non_negotiables={"remote_preference": pref, "commutable_cities": cities})
    q = posting(work_model=model, location=location)
    assert run(p, q).fit.components.logistics == pytest.approx(expected)


def test_logistics_formula_values_behind_the_filter():
    # These pairs fail the filter, so the component is checked directly.
    from processors.scoring.fit import logistics_score

    remote_only = profile(
        non_negotiables={"remote_preference": "Remote Only", "commutable_cities": ["Berlin"]}
    )
    assert logistics_score(remote_only, posting(work_model="Hybrid", location="Munich")) == pytest.approx(
        35.0
    )
    assert logistics_score(remote_only, posting(work_model="Onsite")) == 0.0
    onsite = profile(non_negotiables={"remote_preference": "Onsite OK", "commutable_cities": ["Berlin"]})
    assert logistics_score(onsite, posting(work_model="Onsite", location="Munich")) == pytest.approx(70.0)
    hybrid = profile(non_negotiables={"remote_preference": "Hybrid OK"})
    assert logistics_score(hybrid, posting(work_model="Onsite")) == 60.0


def test_fit_total_is_weighted_and_rounded():
    p = profile(
        current_role="Baker",
        years_experience=3,
        skills=[{"name": "Go", "proficiency": "Proficient"}, {"name": "Mentoring", "type": "Soft"}],
    )
    q = posting(
        title="Data Analyst",
        years_experience_min=5,
        extracted_skills=[
            {"name": "Go", "years_experience": 4},
            {"name": "Rust"},
            {"name": "Teamwork", "type": "Soft"},
        ],
    )
    r = run(p, q, sim=const(0.2))
    # hard 37.0, soft 60, experience 70, role 60, logistics 100
    exact = 0.40 * 37.0 + 0.15 * 60 + 0.25 * 70 + 0.10 * 60 + 0.10 * 100
    assert r.fit.exact == pytest.approx(exact)
    assert r.fit.total == round(exact) == 57
    assert r.fit.label == "Stretch"


def test_executive_weights():
    q = posting(title="VP of Engineering", extracted_skills=[{"name": "Python"}])
    r = run(profile(), q)
    assert r.fit.mode == "executive"
    assert r.fit.weights["soft_skills"] == 0.30 and r.fit.weights["hard_skills"] == 0.25


def test_career_change_weights():
    r = run(profile(career_change_mode=True), posting())
    assert r.fit.mode == "career_change"
    assert r.fit.weights["soft_skills"] == 0.25
    assert sum(r.fit.weights.values()) == pytest.approx(1.0)


def test_entry_level_boost():
    newcomer = profile(years_experience=0.5)
    q = posting(title="Junior Data Analyst", years_experience_min=2)
    assert run(newcomer, q).fit.components.experience == 90.0  # 77.5 by the formula, floored
    q_senior = posting(title="Data Analyst", years_experience_min=2)
    assert run(newcomer, q_senior).fit.components.experience == pytest.approx(77.5)
