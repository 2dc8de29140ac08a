"""Every task this build knows, named in one place.

A new task is written in its step's module and added to `TASKS`; nothing registers itself
on import. The wiring hands the engines and the executor one registry: `tasks_for(taxonomy)`
(the tasks that read a taxonomy built for the configured one), possibly with a task bound to
resources (`TaskRegistry.replacing`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from processors.jury import tasks as jury
from processors.lily import task as lily
from processors.llm.tasks import Task, TaskRegistry
from processors.steps import ghost, grading, red_flags, requirements, summary
from processors.taxonomy import task as map_skills
from processors.taxonomy.model import Taxonomy

TASKS: tuple[Task[Any, Any], ...] = (
    summary.EXTRACT_SUMMARY,
    grading.GRADE_GROUNDING,
    grading.GRADE_COVERAGE,
    summary.IMPROVE_SUMMARY,
    requirements.EXTRACT_REQUIREMENTS,
    lily.TASK,
    map_skills.TASK,
    red_flags.RED_FLAGS_ANALYST,
    red_flags.RED_FLAGS_SKEPTIC,
    red_flags.RED_FLAGS_VERDICT,
    ghost.GHOST_SCORE,
    jury.OSCAR_TASK,
    jury.RITA_TASK,
    jury.HELEN_TASK,
)

REGISTRY = TaskRegistry(TASKS)
"""The registry as built: the tasks that read a taxonomy read the built-in one."""

READS_TAXONOMY: dict[str, Callable[[Taxonomy], Task[Any, Any]]] = {
    lily.TASK.name: lily.task_for,
    map_skills.TASK.name: map_skills.task_for,
}


def tasks_for(taxonomy: Taxonomy, base: TaskRegistry = REGISTRY) -> TaskRegistry:
    """`base`, with the tasks that read a taxonomy built for `taxonomy` (and naming it)."""
    return base.replacing(*(make(taxonomy) for make in READS_TAXONOMY.values()))
