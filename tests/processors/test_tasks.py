"""The task registry: one explicit tuple, every pipeline task in it, lookups that say what is known."""

from __future__ import annotations

from dataclasses import replace

import pytest

from processors.jury import tasks as jury_tasks
from processors.llm.tasks import TaskRegistry
from processors.pipeline.steps import TASK_STEP
from processors.steps import ghost, summary
from processors.tasks import READS_TAXONOMY, REGISTRY, TASKS, tasks_for
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy


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


def test_tasks_for_a_taxonomy_rebuilds_only_the_tasks_that_read_one() -> None:
    base = store.builtin()
    python = base.lookup("Python")
    assert python is not None
    skills = {**base.skills, python.code: replace(python, synonyms=(*python.synonyms, "Py3"))}
    other = Taxonomy(skills, base.categories, base.edges, base.source, base.occupations)
    built = tasks_for(other)
    assert set(READS_TAXONOMY) == {"lily", "map_skills"}
    for name in READS_TAXONOMY:
        assert built(name).taxonomy == other.identity != REGISTRY(name).taxonomy
    assert all(built(t.name) is t for t in TASKS if t.name not in READS_TAXONOMY)
    assert all(REGISTRY(t.name).taxonomy is None for t in TASKS if t.name not in READS_TAXONOMY)
