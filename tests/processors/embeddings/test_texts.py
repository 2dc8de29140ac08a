"""The texts seed 001 §6 embeds, from the profile and derived-posting JSON shapes."""

from __future__ import annotations

from processors.embeddings.texts import (
    POSTING_KINDS,
    PROFILE_KINDS,
    culture_text,
    posting_requirements_text,
    posting_texts,
    profile_hard_skills_text,
    profile_logistics_text,
    profile_soft_skills_text,
    profile_texts,
    title_text,
)

SKILLS = [
    {"name": "Python", "type": "Hard", "proficiency": "Expert"},
    {"name": "Communication", "type": "Soft"},
    {"name": "go", "type": "Hard", "competency": "C3"},
    {"name": "Airflow", "type": "Hard"},
    {"name": "Mentoring", "type": "soft", "proficiency": "Proficient"},
]


def test_hard_skills_are_name_and_level_sorted() -> None:
    assert profile_hard_skills_text(SKILLS) == "Airflow | go (C3) | Python (Expert)"


def test_skill_order_does_not_change_the_text() -> None:
    assert profile_hard_skills_text(SKILLS[::-1]) == profile_hard_skills_text(SKILLS)


def test_soft_skills_are_names_only() -> None:
    assert profile_soft_skills_text(SKILLS) == "Communication | Mentoring"
    assert profile_soft_skills_text([]) == ""


def test_logistics_lists_what_is_known() -> None:
    text = profile_logistics_text(
        {
            "remote_preference": "Hybrid OK",
            "commutable_cities": ["Berlin", "Potsdam"],
            "industry_exclusions": [],
            "custom": ["no on-call"],
        },
        {"city": "Berlin", "country": "DE", "lat": 52.5},
    )
    assert text == (
        "Remote preference: Hybrid OK\nLocation: Berlin, DE\nCommutable cities: Berlin, Potsdam\nValues: no on-call"
    )
    assert profile_logistics_text(None) == ""
    assert (
        profile_logistics_text({"custom": "four-day week"}, "Lisbon")
        == "Location: Lisbon\nValues: four-day week"
    )


def test_requirements_text_follows_the_seed() -> None:
    skills = [
        {"name": "SQL", "is_required": True},
        {"name": "Python", "is_required": True, "years_experience": 3},
        {"name": "Docker", "is_required": False, "years_experience": 2},
    ]
    assert posting_requirements_text(skills, 2, 5) == (
        "Required: Python (3+ years) | SQL\nPreferred: Docker\nExperience: 2-5 years"
    )
    assert posting_requirements_text([], None, None) == (
        "Required: \nPreferred: \nExperience: Not specified-Not specified years"
    )


def test_missing_culture_is_the_empty_text() -> None:
    assert culture_text(None) == ""
    assert culture_text("  ") == ""
    assert culture_text(" Small team,\n kind people ") == "Small team, kind people"
    assert title_text("  Senior   Data Engineer ") == "Senior Data Engineer"


def test_whole_profile_and_posting() -> None:
    profile = {
        "current_role": "Data Engineer",
        "skills": SKILLS,
        "non_negotiables": {"remote_preference": "Remote Only"},
    }
    texts = profile_texts(profile)
    assert tuple(texts) == PROFILE_KINDS
    assert texts["title"] == "Data Engineer"
    assert texts["logistics"] == "Remote preference: Remote Only"
    posting = {"title": "ML Engineer", "extracted_skills": [{"name": "PyTorch", "is_required": True}]}
    texts = posting_texts(posting)
    assert tuple(texts) == POSTING_KINDS
    assert texts["culture"] == ""
    assert texts["requirements"].startswith("Required: PyTorch\n")
