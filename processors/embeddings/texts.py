"""The texts Turing embeds (seed 001 §6.1, §6.3, §6.4), built from plain dicts and lists.

Pure functions, no models: the scoring and matching code calls them with the profile and
derived-posting JSON shapes (issue 4 §1, §2) and hands the result to
`CachedEmbedder.embed_kinds`. Skill lists are sorted (case-insensitively) before joining so
that reordering a profile's skills does not change the text, hence not its content hash.

Signatures, at a glance:

- `profile_hard_skills_text(skills)`: skills are dicts with `name`, `type` ("Hard"/"Soft")
  and `proficiency` (or `competency` C1-C5); -> "Go (Familiar) | Python (Expert)".
- `profile_soft_skills_text(skills)`: -> "Communication | Mentoring".
- `profile_logistics_text(non_negotiables, location)`: remote preference, location,
  commutable cities, industry exclusions and custom values, one per line.
- `posting_requirements_text(skills, years_min, years_max)`: skills are dicts with
  `name`, `is_required`, `years_experience`; -> "Required: Python (3+ years) | SQL\\n
  Preferred: Docker\\nExperience: 2-5 years".
- `culture_text(text)`: the extracted culture text, normalised; "" when there is none,
  which `embed_kinds` turns into the neutral zero vector — never into an embedding of
  the description (technical words would pollute culture matching, seed 001 §6.1).
- `title_text(title)`: a job title or current role, normalised.
- `profile_texts(profile)` / `posting_texts(posting)`: every kind at once, keyed by the
  kind names the projections use (`PROFILE_KINDS`, `POSTING_KINDS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PROFILE_KINDS = ("hard_skills", "soft_skills", "logistics", "title")
POSTING_KINDS = ("requirements", "culture", "title")
NOT_SPECIFIED = "Not specified"


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _sorted_names(names: Iterable[str]) -> list[str]:
    return sorted((n for n in names if n), key=lambda n: (n.casefold(), n))


def _skills_of_type(skills: Iterable[Mapping[str, Any]], kind: str) -> list[Mapping[str, Any]]:
    return [s for s in skills if _clean(s.get("type", "Hard")).casefold() == kind and _clean(s.get("name"))]


def profile_hard_skills_text(skills: Iterable[Mapping[str, Any]]) -> str:
    """Hard skills as "name (proficiency)", joined by " | "; a skill without a level is its name."""
    parts = []
    for skill in _skills_of_type(skills, "hard"):
        level = _clean(skill.get("proficiency") or skill.get("competency"))
        name = _clean(skill["name"])
        parts.append(f"{name} ({level})" if level else name)
    return " | ".join(_sorted_names(parts))


def profile_soft_skills_text(skills: Iterable[Mapping[str, Any]]) -> str:
    """Soft skill names joined by " | "."""
    return " | ".join(_sorted_names(_clean(s["name"]) for s in _skills_of_type(skills, "soft")))


def _location_text(location: Mapping[str, Any] | str | None) -> str:
    if location is None or isinstance(location, str):
        return _clean(location)
    return ", ".join(_clean(location.get(k)) for k in ("city", "country") if _clean(location.get(k)))


def _joined(values: Iterable[Any] | None) -> str:
    return ", ".join(_clean(v) for v in (values or []) if _clean(v))


def profile_logistics_text(
    non_negotiables: Mapping[str, Any] | None, location: Mapping[str, Any] | str | None = None
) -> str:
    """Seed 001 §6.3's logistics text; lines with nothing to say are left out."""
    nn = non_negotiables or {}
    custom = nn.get("custom")
    lines = [
        ("Remote preference", _clean(nn.get("remote_preference"))),
        ("Location", _location_text(location)),
        ("Commutable cities", _joined(nn.get("commutable_cities"))),
        ("Industry exclusions", _joined(nn.get("industry_exclusions"))),
        ("Values", _joined(custom) if isinstance(custom, list | tuple) else _clean(custom)),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)


def _years(value: Any) -> str:
    return NOT_SPECIFIED if value is None or value == "" else _clean(value)


def posting_requirements_text(
    skills: Iterable[Mapping[str, Any]], years_min: Any = None, years_max: Any = None
) -> str:
    """Seed 001 §6.4: required skills (with years when given), preferred skills, the experience range."""
    required, preferred = [], []
    for skill in skills:
        name = _clean(skill.get("name"))
        if not name:
            continue
        if skill.get("is_required", True):
            years = skill.get("years_experience")
            required.append(f"{name} ({_clean(years)}+ years)" if years else name)
        else:
            preferred.append(name)
    return (
        f"Required: {' | '.join(_sorted_names(required))}\n"
        f"Preferred: {' | '.join(_sorted_names(preferred))}\n"
        f"Experience: {_years(years_min)}-{_years(years_max)} years"
    )


def culture_text(text: str | None) -> str:
    """The culture text the extraction produced, or "" (-> neutral zero vector) when there is none."""
    return _clean(text)


def title_text(title: str | None) -> str:
    return _clean(title)


def profile_texts(profile: Mapping[str, Any]) -> dict[str, str]:
    """kind -> text for a profile in the issue 4 §1 shape (`skills`, `non_negotiables`, ...)."""
    skills = profile.get("skills") or []
    return {
        "hard_skills": profile_hard_skills_text(skills),
        "soft_skills": profile_soft_skills_text(skills),
        "logistics": profile_logistics_text(profile.get("non_negotiables"), profile.get("location")),
        "title": title_text(profile.get("current_role")),
    }


def posting_texts(posting: Mapping[str, Any]) -> dict[str, str]:
    """kind -> text for a derived posting (`extracted_skills`, `years_experience_min`, ...)."""
    return {
        "requirements": posting_requirements_text(
            posting.get("extracted_skills") or [],
            posting.get("years_experience_min"),
            posting.get("years_experience_max"),
        ),
        "culture": culture_text(posting.get("culture_text")),
        "title": title_text(posting.get("title")),
    }
