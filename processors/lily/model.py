"""The SECT proof stack (seed 000): what Lily returns for each requirement line.

`parse_confidence` (did we read the text right) and `requirement_strength` (does the
posting insist on it) are kept apart, as seed 000's review asks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Strings carry a pattern: constrained decoders (xgrammar) otherwise admit control characters.
TEXT = r"^[^\x00-\x1f]*$"

Strength = Literal["required", "preferred", "nice_to_have"]
CredentialKind = Literal["degree", "licence", "certificate", "clearance"]
ExperienceOp = Literal[">=", "<=", "==", "range", "~"]
ExperienceUnit = Literal["years", "months"]
OutcomeCategory = Literal["scale", "financial", "efficiency", "quality", "growth", "compliance"]
Flag = Literal[
    "NEEDS_CONTEXT",
    "VALIDATOR_DISAGREES",
    "UNCERTAIN",
    "NOT_IN_SOURCE",
    "INJECTION_SUSPECTED",
    "LINE_TRUNCATED",
]
# A requirement line is a sentence or two; past this it is a pasted document, read in part.
MAX_LINE_CHARS = 4_000


class _Layer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    confidence: float = Field(ge=0.0, le=1.0)


class Mention(BaseModel):
    """The words of the line that name a linked skill (`hybrid-1`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str = Field(pattern=TEXT, max_length=MAX_LINE_CHARS)
    start: int = Field(ge=0, description="character offset in the line")
    end: int = Field(ge=0)


# Set only by rulesets that link skills (`hybrid-1`); left out of a dump when unset, so the
# output of `rules-1` (and every decision hashed from it) stays byte for byte what it was.
def _unset(value: object) -> bool:
    return value is None or value == "" or value == []


class SkillLayer(_Layer):
    name: str = Field(pattern=TEXT, max_length=200)
    code: str | None = Field(default=None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{3}$")
    uri: str = Field(
        default="", pattern=TEXT, max_length=300, exclude_if=_unset, description="the taxonomy's URI (ESCO)"
    )
    mention: Mention | None = Field(default=None, exclude_if=_unset)
    level: str | None = Field(
        default=None, pattern=TEXT, max_length=40, exclude_if=_unset,
        description="a language's level: CEFR A1-C2, native...",
    )  # fmt: skip


class ExperienceLayer(_Layer):
    value: float = Field(ge=0)
    value_max: float | None = Field(default=None, ge=0, description="upper bound when op is 'range'")
    unit: ExperienceUnit
    op: ExperienceOp
    qualifier: str | None = Field(default=None, pattern=TEXT, max_length=100, description="e.g. relevant")
    context: str | None = Field(
        default=None, pattern=TEXT, max_length=200, exclude_if=_unset,
        description="where it was done when that is no stakes or no skill: an industry, a side project",
    )  # fmt: skip


class CertificationLayer(_Layer):
    name: str = Field(pattern=TEXT, max_length=200)
    kind: CredentialKind


class TrackRecordLayer(_Layer):
    category: OutcomeCategory
    value: float | None = None
    unit: str | None = Field(default=None, pattern=TEXT, max_length=50, description="USD, users, %, beds...")
    context: str | None = Field(default=None, pattern=TEXT, max_length=200, description="company, client...")


class ProofStack(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    skill: SkillLayer | None = None
    experience: ExperienceLayer | None = None
    certification: CertificationLayer | None = None
    track_record: TrackRecordLayer | None = None
    implied_skills: list[str] = Field(default_factory=list, max_length=20)
    requirement_strength: Strength = "required"
    parse_confidence: float = Field(ge=0.0, le=1.0)
    context_ambiguous: bool = False
    flags: list[Flag] = Field(default_factory=list)
    alternatives: list[SkillLayer] = Field(
        default_factory=list, max_length=10, exclude_if=_unset, description='the other skills of "X or Y"'
    )


class Decomposition(BaseModel):
    """One requirement line and its proof stacks (usually one; "Python or Java" gives two)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    proof_stacks: list[ProofStack]
