"""Every step task is registered under its name, versions its prompt and knows its ruleset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from processors.llm.tasks import Task
from processors.steps import ghost, grading, red_flags, requirements, summary
from processors.steps.models import (
    GhostInput,
    GradeInput,
    ImproveInput,
    RedFlagInput,
    SkepticInput,
    VerdictInput,
)
from tests.processors.steps.samples import SHORT_PROSE

POSTING = SHORT_PROSE.model_dump()
NOW = datetime(2026, 12, 1, tzinfo=UTC)
CASES: list[tuple[Task[Any, Any], BaseModel]] = [
    (summary.EXTRACT_SUMMARY, SHORT_PROSE),
    (grading.GRADE_GROUNDING, GradeInput(**POSTING, summary="We are looking for a Barista.")),
    (grading.GRADE_COVERAGE, GradeInput(**POSTING, summary="We are looking for a Barista.")),
    (summary.IMPROVE_SUMMARY, ImproveInput(**POSTING, summary="A Barista.", reasons=["too short"])),
    (requirements.EXTRACT_REQUIREMENTS, SHORT_PROSE),
    (red_flags.RED_FLAGS_ANALYST, RedFlagInput(**POSTING)),
    (red_flags.RED_FLAGS_SKEPTIC, SkepticInput(**POSTING, flags=[])),
    (red_flags.RED_FLAGS_VERDICT, VerdictInput(title="Barista", flags=[], reviews=[])),
    (ghost.GHOST_SCORE, GhostInput(posted_at=None, first_seen_at=NOW, as_of=NOW)),
]


@pytest.mark.parametrize(("task", "inp"), CASES, ids=lambda c: getattr(c, "name", ""))
def test_task_contract(task: Task[Any, Any], inp: BaseModel) -> None:
    assert isinstance(inp, task.input_model)
    assert task.prompt_version == f"{task.name}/1"
    prompt = task.build_prompt(inp)
    assert prompt.version == task.prompt_version and prompt.system and prompt.user
    assert task.rules is not None
    out = task.rules(inp, "rules-1")
    assert isinstance(out, task.output_model)
    assert task.json_schema()["type"] == "object"
    with pytest.raises(ValueError, match="known: rules-1"):
        task.rules(inp, "rules-0")
