"""Tasks: what a step asks a model to do, typed on both ends.

A task names its input and output models, builds its prompt with an explicit function
(a missing input raises before any model is called), and may carry a deterministic
`rules` implementation used by the `rules` engine (the engine's model names the
ruleset, so a ruleset change is a model change like any other). `check` finds problems a schema
cannot see, such as output that names things the input does not contain. A task that reads a
taxonomy is built for one (its module's `task_for(taxonomy)`) and names it in `taxonomy`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from processors.llm.protocol import Prompt

I = TypeVar("I", bound=BaseModel)  # noqa: E741
O = TypeVar("O", bound=BaseModel)  # noqa: E741


class MissingInput(ValueError):
    """A prompt was asked for without the input it needs."""


def require(value: Any, what: str) -> Any:
    """Prompts call this for every input they use: empty means the caller has a bug or bad data."""
    if value is None or (isinstance(value, str | list | dict | tuple) and len(value) == 0):
        raise MissingInput(f"missing input: {what}")
    return value


@dataclass(frozen=True)
class Task(Generic[I, O]):
    name: str
    input_model: type[I]
    output_model: type[O]
    prompt_version: str
    build_prompt: Callable[[I], Prompt]
    rules: Callable[[I, str], O] | None = None  # (input, ruleset name) -> output
    check: Callable[[I, O], list[str]] = field(default=lambda _i, _o: [])
    # The identity of the taxonomy the task's functions were built with (`Taxonomy.identity`);
    # None for a task that reads none. It is part of the reuse key and of every decision.
    taxonomy: str | None = None

    def json_schema(self) -> dict[str, Any]:
        # Generating a schema costs milliseconds; every request of a task shares one (read-only).
        return _schema_of(self.output_model)


@cache
def _schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


class TaskRegistry:
    """Tasks by name, built from an explicit tuple (no task registers itself on import).

    Callable as a `TaskLookup`; an unknown name raises LookupError naming the known ones.
    """

    def __init__(self, tasks: Iterable[Task[Any, Any]]) -> None:
        by_name: dict[str, Task[Any, Any]] = {}
        for task in tasks:
            if task.name in by_name:
                raise ValueError(f"task {task.name!r} is named twice")
            by_name[task.name] = task
        self._by_name = by_name

    @property
    def tasks(self) -> tuple[Task[Any, Any], ...]:
        return tuple(self._by_name.values())

    def __call__(self, name: str) -> Task[Any, Any]:
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name))
            raise LookupError(f"unknown task {name!r}; known: {known}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def replacing(self, *tasks: Task[Any, Any]) -> TaskRegistry:
        """The same tasks with these in place of the ones of the same name (a ruleset bound to resources)."""
        for task in tasks:
            self(task.name)  # only a known task can be replaced
        swapped = {task.name: task for task in tasks}
        return TaskRegistry(swapped.get(task.name, task) for task in self._by_name.values())


TaskLookup = Callable[[str], Task[Any, Any]]
"""How an engine or the executor finds a request's task: a TaskRegistry, or a test's own function."""
