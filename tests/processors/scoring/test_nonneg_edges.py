"""Seed 001 §3 filter, undisclosed data, §9 edge cases, §7 labels and recommendation."""

from __future__ import annotations

import pytest

from processors.scoring.config import baseline
from processors.scoring.labels import fit_label, recommendation, stretch_label
from processors.scoring.nonneg import check

from .helpers import posting, profile, run


def test_remote_only_rejects_hybrid():
    r = check(profile(non_negotiables={"remote_preference": "Remote Only"}), posting(work_model="Hybrid"))
    assert not r.passed and "Hybrid" in r.failed_reasons[0]


def test_undisclosed_work_model_is_onsite():
    r = check(profile(non_negotiables={"remote_preference": "Hybrid OK"}), posting(work_model=None))
    assert not r.passed and "Work model not stated; assumed on-site" in r.warnings


def test_salary_below_minimum_and_undisclosed():
    p = profile(non_negotiables={"minimum_base_salary": 120_000}, compensation={"currency": "USD"})
    low = check(p, posting(salary_min=70_000, salary_max=90_000, currency="USD"))
    assert low.failed_reasons == ["Salary below your minimum (90,000 USD < 120,000 USD)"]
    hidden = check(p, posting())
    assert hidden.passed and "Salary not disclosed" in hidden.warnings
    other = check(p, posting(salary_max=90_000, currency="EUR"))
    assert other.passed and any("not compared" in w for w in other.warnings)


def test_commutable_visa_industry_custom():
    p = profile(
        non_negotiables={
            "commutable_cities": ["Berlin"],
            "visa_sponsorship_required": True,
            "industry_exclusions": ["Gambling"],
            "custom": [{"name": "not Acme", "field": "company", "op": "!=", "value": "Acme"}],
        }
    )
    q = posting(
        work_model="Onsite",
        location="Munich",
        visa_sponsorship=False,
        company_industry="gambling",
        company="ACME",
    )
    reasons = check(p, q).failed_reasons
    assert len(reasons) == 4
    assert any("commutable" in x for x in reasons) and any("sponsorship" in x for x in reasons)
    assert any("gambling" in x for x in reasons) and any("not Acme" in x for x in reasons)
    ok = check(p, posting(work_model="Remote", location="Munich", company="Other"))
    assert ok.passed and "Visa sponsorship unknown" in ok.warnings


def test_failed_filter_blocks_fit_and_stretch():
    r = run(profile(non_negotiables={"remote_preference": "Remote Only"}), posting(work_model="Onsite"))
    assert r.fit.total is None and r.stretch.total is None
    assert r.fit.label == r.stretch.label == "blocked"
    assert r.recommendation == "Blocked" and not r.non_negotiables.passed
    assert r.explanation.summary.startswith("Blocked: Work model Onsite")


def test_profile_without_skills_is_blocked_with_a_message():
    r = run(profile(skills=[]), posting())
    assert r.fit.total is None
    assert "no skills" in r.non_negotiables.failed_reasons[0]


def test_posting_without_skills_is_neutral_and_flagged():
    r = run(profile(), posting(extracted_skills=[]))
    assert r.fit.total == 50 and r.needs_review
    assert any("review" in w for w in r.explanation.warnings)


def test_ghost_and_salary_warnings():
    r = run(profile(), posting(ghost_score=72))
    assert any(w.startswith("Ghost risk: 72%") for w in r.explanation.warnings)
    assert "Salary not disclosed" in r.explanation.warnings
    assert not any("Ghost" in w for w in run(profile(), posting(ghost_score=59)).explanation.warnings)


@pytest.mark.parametrize(
    ("total", "label"),
    [
        (100, "Excellent"),
        (90, "Excellent"),
        (89, "Good"),
        (75, "Good"),
        (74, "Fair"),
        (40, "Stretch"),
        (39, "Poor"),
    ],
)
def test_fit_labels(total, label):
    assert fit_label(total, baseline()) == label


@pytest.mark.parametrize(
    ("total", "label"), [(80, "High Growth"), (79, "Moderate Growth"), (59, "Lateral"), (0, "Low Growth")]
)
def test_stretch_labels(total, label):
    assert stretch_label(total, baseline()) == label


@pytest.mark.parametrize(
    ("fit", "stretch", "expected"),
    [
        (80, 85, "Top Priority"),
        (80, 50, "Safe Bet"),
        (50, 85, "Stretch Opportunity"),
        (50, 50, "Likely Skip"),
        (65, 70, "Worth a Look"),
        (None, 90, "Blocked"),
    ],
)
def test_recommendation(fit, stretch, expected):
    assert recommendation(fit, stretch) == expected


def test_auto_draft_at_90():
    p = profile(current_role="Software Engineer", skills=[{"name": "Python", "proficiency": "Expert"}])
    q = posting(extracted_skills=[{"name": "Python"}, {"name": "Go", "is_required": False}])
    p2 = p.model_copy(update={"skills": [*p.skills, *profile(skills=[{"name": "Go"}]).skills]})
    high = run(p2, q.model_copy(update={"years_experience_min": 3}))
    assert high.fit.total is not None and high.fit.total >= 90 and high.auto_draft


def test_stretch_components_by_hand():
    p = profile(
        current_role="Software Engineer",
        growth_targets={"target_roles": ["Staff Engineer"], "target_skills": ["Go", "Rust", "Kubernetes"]},
    )
    q = posting(title="Senior Data Engineer", extracted_skills=[{"name": "Go"}, {"name": "Rust"}])
    from .helpers import const

    r = run(p, q, sim=const(0.2))
    # target role 30 + 1.2 * 35 = 72; two target skills = 75; mid -> senior is a step up = 100
    assert r.stretch.components.target_role == pytest.approx(72.0)
    assert r.stretch.components.target_skills == 75.0
    assert r.stretch.components.growth_trajectory == 100.0
    assert r.stretch.exact == pytest.approx(0.5 * 72 + 0.4 * 75 + 0.1 * 100)
    none = run(profile(current_role="Senior Engineer"), posting(title="Junior Engineer"))
    assert none.stretch.components.target_role == 50.0 and none.stretch.components.target_skills == 50.0
    assert none.stretch.components.growth_trajectory == 30.0
