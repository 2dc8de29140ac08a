"""The labelled set's line format and its reader (errors name the line and the field)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from processors.lily.model import (
    CredentialKind,
    ExperienceOp,
    ExperienceUnit,
    Flag,
    OutcomeCategory,
    Strength,
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExpectedExperience(_Frozen):
    value: float = Field(ge=0)
    unit: ExperienceUnit
    op: ExperienceOp


class ExpectedCertification(_Frozen):
    name: str = Field(min_length=1)
    kind: CredentialKind


class ExpectedTrackRecord(_Frozen):
    category: OutcomeCategory
    value: float | None = None
    unit: str | None = None


class Expected(_Frozen):
    skill: str | None = None
    experience: ExpectedExperience | None = None
    certification: ExpectedCertification | None = None
    track_record: ExpectedTrackRecord | None = None
    requirement_strength: Strength = "required"
    flags: list[Flag] = Field(default_factory=list)


class LabelledLine(_Frozen):
    text: str = Field(min_length=1)
    field: str = Field(min_length=1, description="domain of the posting: software, health, finance...")
    expected: Expected


class LabelledError(ValueError):
    """A labelled line that cannot be read; the message names its line number and field."""


def read_labelled(source: str | Path) -> list[LabelledLine]:
    """Lines from a JSONL file (a `Path`) or JSONL text (a `str`); blank lines are skipped."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    lines: list[LabelledLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LabelledError(f"line {number}: not JSON ({exc.msg} at column {exc.colno})") from None
        try:
            lines.append(LabelledLine.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(line)"
            raise LabelledError(f"line {number}: field {where}: {first['msg']}") from None
    return lines
