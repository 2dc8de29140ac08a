"""The task registry: one explicit tuple, every pipeline task in it, lookups that say what is known."""

from __future__ import annotations

from dataclasses import replace

import pytest

from processors.jury import tasks as jury_tasks
from processors.llm.tasks import TaskRegistry
from processors.pipeline.steps import TASK_STEP
from processors.steps import ghost, summary
from processors.tasks import REGISTRY, TASKS


def test_every_pipeline_and_jury_task_is_named_once() -> None:
    names = [task.name for task in TASKS]
    assert len(names) == len(set(names))
    assert set(TASK_STEP) | {t.name for t in jury_tasks.TASKS.values()} == set(names)
    assert all(REGISTRY(task.name) is task for task in TASKS)


def test_an_unknown_task_names_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"unknown task .nope.; known: .*extract_summary"):
        REGISTRY("nope")


def test_a_name_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'ghost_score' is named twice"):
        TaskRegistry((ghost.GHOST_SCORE, summary.EXTRACT_SUMMARY, ghost.GHOST_SCORE))


def test_replacing_swaps_one_task_and_leaves_the_registry_as_it_was() -> None:
    bound = replace(ghost.GHOST_SCORE, prompt_version="ghost_score/bound")
    swapped = REGISTRY.replacing(bound)
    assert swapped("ghost_score") is bound and REGISTRY("ghost_score") is ghost.GHOST_SCORE
    assert [t.name for t in swapped.tasks] == [t.name for t in TASKS]
    assert swapped("extract_summary") is summary.EXTRACT_SUMMARY
    with pytest.raises(LookupError):
        TaskRegistry((summary.EXTRACT_SUMMARY,)).replacing(bound)
