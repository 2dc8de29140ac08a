"""Turning a model's text into a validated output, the same way for every engine.

One bad output is a failed result, never an exception: the text is kept as `raw` and the
error says whether the JSON was malformed or did not fit the task's output model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from processors.llm.tasks import TaskLookup

_FENCE = re.compile(r"^\s*```[A-Za-z0-9_-]*[ \t]*\n?(?P<body>.*?)\n?\s*```\s*$", re.DOTALL)


def strip_fences(text: str) -> str:
    """Chat models wrap JSON in ```json fences even when told not to."""
    match = _FENCE.match(text)
    return match.group("body").strip() if match else text.strip()


@dataclass(frozen=True)
class ParsedOutput:
    output: dict[str, Any] | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_output(text: str, task_name: str, lookup: TaskLookup) -> ParsedOutput:
    """Parse `text` as JSON and validate it with the task's output model."""
    try:
        task = lookup(task_name)
    except LookupError as exc:
        return ParsedOutput(None, f"unknown task: {exc}")
    body = strip_fences(text)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        return ParsedOutput(None, f"malformed JSON: {exc}")
    try:
        model = task.output_model.model_validate(data)
    except ValidationError as exc:
        return ParsedOutput(None, f"schema-invalid: {_summarise(exc)}")
    return ParsedOutput(model.model_dump(mode="json"), None)


def _summarise(exc: ValidationError) -> str:
    # The full pydantic message repeats the input; the locations and reasons are what a reader needs.
    parts = [f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()]
    return "; ".join(parts[:5]) + (f" (+{len(parts) - 5} more)" if len(parts) > 5 else "")
