"""Inputs and outputs of the posting pipeline's text tasks (DESIGN §5).

Every string an LLM may write carries a pattern: constrained decoders otherwise admit
control characters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PostingText(_Model):
    title: str
    company: str
    description: str
    location: str = ""


class SummaryOutput(_Model):
    summary: str = Field(pattern=TEXT, max_length=4000)


class GradeInput(PostingText):
    summary: str


class GradeOutput(_Model):
    passed: bool
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list, max_length=20)


class ImproveInput(GradeInput):
    reasons: list[str]


class RequirementsOutput(_Model):
    requirements: list[str] = Field(max_length=60)
    responsibilities: list[str] = Field(default_factory=list, max_length=60)
    culture_text: str = Field(default="", pattern=TEXT, max_length=4000)


class RedFlagInput(PostingText):
    summary: str = ""
    requirements: list[str] = Field(default_factory=list)
    salary_min: float | None = None
    salary_max: float | None = None
    currency: str | None = None
    posted_at: datetime | None = None
    times_seen: int = 1


class RedFlag(_Model):
    code: str = Field(pattern=r"^[a-z_]{2,40}$", description="e.g. vague_duties, missing_salary, repost")
    severity: float = Field(ge=0.0, le=1.0)
    evidence: str = Field(pattern=TEXT, max_length=400)


class AnalystOutput(_Model):
    flags: list[RedFlag] = Field(max_length=20)


class SkepticInput(RedFlagInput):
    flags: list[RedFlag]


class FlagReview(_Model):
    code: str = Field(pattern=r"^[a-z_]{2,40}$")
    upheld: bool
    reason: str = Field(pattern=TEXT, max_length=400)
    severity: float | None = Field(
        default=None, ge=0.0, le=1.0, description="the skeptic's revised severity, when upheld but weaker"
    )


class SkepticOutput(_Model):
    reviews: list[FlagReview] = Field(max_length=20)


class VerdictInput(_Model):
    title: str
    flags: list[RedFlag]
    reviews: list[FlagReview]


class VerdictOutput(_Model):
    ihl_score: float = Field(ge=0.0, le=1.0, description="likelihood the posting is NOT a genuine open job")
    category: Literal["genuine", "uncertain", "suspect"]
    rationale: str = Field(pattern=TEXT, max_length=600)


class GhostInput(_Model):
    posted_at: datetime | None
    first_seen_at: datetime
    as_of: datetime = Field(description="reference time, passed in so the score is reproducible")
    times_seen: int = 1
    times_changed: int = 0
    has_salary: bool = False
    description_chars: int = 0
    ihl_score: float | None = None


class GhostOutput(_Model):
    ghost_score: float = Field(ge=0.0, le=100.0)
    signals: list[str] = Field(default_factory=list)
