"""The tasks that read a taxonomy, built for the one the wiring layer chose.

The executor and the engines of one pipeline must run the same tasks: the wiring layer
builds `tasks_for(taxonomy)` once and hands it to both (`infra/engines.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from processors.lily import task as lily
from processors.llm.output_parsing import TaskLookup
from processors.llm.tasks import Task, get_task
from processors.taxonomy import task as map_skills
from processors.taxonomy.model import Taxonomy

READS_TAXONOMY: dict[str, Callable[[Taxonomy], Task[Any, Any]]] = {
    "lily": lily.task_for,
    "map_skills": map_skills.task_for,
}


def tasks_for(taxonomy: Taxonomy, base: TaskLookup = get_task) -> TaskLookup:
    """`base`, except that the tasks reading a taxonomy read `taxonomy` (and name it)."""
    built = {name: make(taxonomy) for name, make in READS_TAXONOMY.items()}

    def lookup(name: str) -> Task[Any, Any]:
        return built[name] if name in built else base(name)

    return lookup
