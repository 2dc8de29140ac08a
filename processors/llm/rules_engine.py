"""The `rules` engine: a task's deterministic implementation, called like any model.

The engine's model names the ruleset, so changing the rules is a model change that shows
up in every decision event. Rules read only their typed input: no tokens are spent.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pydantic import ValidationError

from processors.llm.protocol import LLMRequest, LLMResult
from processors.llm.tasks import TaskLookup


class RulesEngine:
    name = "rules"

    def __init__(self, model: str = "rules-1", *, task_lookup: TaskLookup) -> None:
        self.model = model
        self._lookup = task_lookup

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        return [self._one(request) for request in requests]

    def close(self) -> None:
        return None

    def _one(self, request: LLMRequest) -> LLMResult:
        start = time.perf_counter()

        def failed(error: str) -> LLMResult:
            return LLMResult(
                request_id=request.request_id, ok=False, error=error, latency_ms=_ms_since(start)
            )

        try:
            task = self._lookup(request.task)
        except LookupError as exc:
            return failed(f"unknown task: {exc}")
        if task.rules is None:
            return failed(f"task {task.name!r} has no rules implementation; use a model engine")
        try:
            task_input = task.input_model.model_validate(request.payload)
        except ValidationError as exc:
            return failed(f"invalid input for {task.name!r}: {exc.error_count()} error(s): {exc}")
        try:
            output = task.rules(task_input, self.model)
        except ValueError as exc:
            # ValueError is the rules' way of saying "cannot decide for this input"; anything
            # else is a bug and propagates.
            return failed(f"rules {self.model!r} failed: {exc}")
        return LLMResult(
            request_id=request.request_id,
            ok=True,
            output=output.model_dump(mode="json"),
            latency_ms=_ms_since(start),
        )


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
