"""Scoring inputs: a candidate profile and a derived posting (field names as issue 4 gives them).

Every field beyond the issue's list is optional, so a minimal profile or posting still loads.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from processors.lily.model import Decomposition, OutcomeCategory

Proficiency = Literal["Learning", "Familiar", "Proficient", "Expert"]
Competency = Literal["C1", "C2", "C3", "C4", "C5"]
SkillType = Literal["Hard", "Soft"]
RemotePreference = Literal["Remote Only", "Hybrid OK", "Onsite OK"]
WorkModel = Literal["Remote", "Hybrid", "Onsite"]
Importance = Literal["required", "preferred", "nice_to_have"]
LanguageLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2", "native"]

BITMAP_BITS = 7 * 48
_BITMAP = re.compile(r"^[01]{336}$")
# "2024-06", "2024-06-30", or a skill still in use.
_WHEN = r"^(\d{4}-\d{2}(-\d{2})?|present|ongoing)$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _bitmap(value: str | None) -> str | None:
    if value is None:
        return None
    compact = re.sub(r"\s+", "", value)
    if not _BITMAP.match(compact):
        raise ValueError(
            f"must be {BITMAP_BITS} characters of 0/1 (7 days x 48 half-hours, Monday 00:00 first); "
            f"got {len(compact)} characters"
        )
    return compact


class ProfileSkill(_Model):
    name: str = Field(min_length=1, max_length=200)
    type: SkillType = "Hard"
    proficiency: Proficiency | None = None
    competency: Competency | None = None
    last_used: str | None = Field(default=None, pattern=_WHEN)
    # A strength in 0-1 (seed 002 §1.2) or the evidence itself (links, verifications).
    evidence: float | list[str] | None = None

    @field_validator("evidence")
    @classmethod
    def _strength_in_range(cls, value: float | list[str] | None) -> float | list[str] | None:
        if isinstance(value, float | int) and not 0 <= value <= 1:
            raise ValueError("an evidence strength must be between 0 and 1")
        return value


class WorkHistory(_Model):
    job_title: str
    company: str = ""
    start: str | None = Field(default=None, pattern=_WHEN)
    end: str | None = Field(default=None, pattern=_WHEN)


class CustomRule(_Model):
    """A user's own rule over one posting field, e.g. {"field": "company", "op": "!=", "value": "Acme"}."""

    name: str = ""
    field: str
    op: Literal["==", "!=", ">=", "<=", "contains", "not_contains"]
    value: str | float | bool


class NonNegotiables(_Model):
    remote_preference: RemotePreference = "Onsite OK"
    minimum_base_salary: float | None = Field(default=None, ge=0)
    commutable_cities: list[str] = Field(default_factory=list)
    visa_sponsorship_required: bool = False
    industry_exclusions: list[str] = Field(default_factory=list)
    custom: list[CustomRule] = Field(default_factory=list)


class GrowthTargets(_Model):
    target_roles: list[str] = Field(default_factory=list)
    target_skills: list[str] = Field(default_factory=list)
    target_industries: list[str] = Field(default_factory=list)


class Place(_Model):
    city: str | None = None
    country: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    timezone: str | None = None  # IANA name ("Europe/Stockholm") or an offset ("UTC+1", "+05:30")


class Compensation(_Model):
    target: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class Language(_Model):
    name: str
    level: LanguageLevel | None = None


class Benefit(_Model):
    code: str
    importance: Importance = "preferred"


class Atom(_Model):
    """One experience claim; structured fields are optional, the text is decomposed otherwise."""

    text: str = ""
    skill: str | None = None
    years: float | None = Field(default=None, ge=0)
    certification: str | None = None
    outcome: OutcomeCategory | None = None
    value: float | None = None
    unit: str | None = None
    context: str | None = None


def _languages(value: object) -> object:
    if isinstance(value, list):
        return [{"name": v} if isinstance(v, str) else v for v in value]
    return value


class Profile(_Model):
    id: str
    current_role: str = ""
    years_experience: float | None = Field(default=None, ge=0)
    skills: list[ProfileSkill] = Field(default_factory=list)
    work_history: list[WorkHistory] = Field(default_factory=list)
    non_negotiables: NonNegotiables = Field(default_factory=NonNegotiables)
    growth_targets: GrowthTargets = Field(default_factory=GrowthTargets)
    location: Place = Field(default_factory=Place)
    compensation: Compensation = Field(default_factory=Compensation)
    availability: str | None = None
    languages: list[Language] = Field(default_factory=list)
    work_authorization: list[str] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    atoms: list[Atom] = Field(default_factory=list)
    career_change_mode: bool = False  # seed 001 §9.2

    @field_validator("availability")
    @classmethod
    def _check_bitmap(cls, value: str | None) -> str | None:
        return _bitmap(value)

    @field_validator("languages", mode="before")
    @classmethod
    def _language_strings(cls, value: object) -> object:
        return _languages(value)

    @field_validator("atoms", mode="before")
    @classmethod
    def _atom_strings(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value


class ExtractedSkill(_Model):
    name: str = Field(min_length=1)
    type: SkillType = "Hard"
    is_required: bool = True
    years_experience: float | None = Field(default=None, ge=0)
    # "Go or Python" is one requirement, met by any of its skills; left out of a dump when
    # empty, so a posting without alternatives dumps as it did before the field.
    alternatives: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, max_length=10, exclude_if=lambda v: not v
    )


class DerivedPosting(_Model):
    id: str | None = None
    title: str
    company: str = ""
    company_industry: str | None = None
    work_model: WorkModel | None = None
    location: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    timezone: str | None = None
    salary_min: float | None = Field(default=None, ge=0)
    salary_max: float | None = Field(default=None, ge=0)
    currency: str | None = None
    years_experience_min: float | None = Field(default=None, ge=0)
    years_experience_max: float | None = Field(default=None, ge=0)
    extracted_skills: list[ExtractedSkill] = Field(default_factory=list)
    visa_sponsorship: bool | None = None
    sponsorship_countries: list[str] = Field(default_factory=list)
    required_availability: str | None = None
    languages_required: list[Language] = Field(default_factory=list)
    benefits_offered: list[str] = Field(default_factory=list)
    requirements: list[Decomposition] = Field(default_factory=list)
    ghost_score: float | None = Field(default=None, ge=0, le=100)

    @field_validator("required_availability")
    @classmethod
    def _check_bitmap(cls, value: str | None) -> str | None:
        return _bitmap(value)

    @field_validator("languages_required", mode="before")
    @classmethod
    def _language_strings(cls, value: object) -> object:
        return _languages(value)
