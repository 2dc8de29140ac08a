"""Small tasks for the LLM-engine tests (the built-in step tasks are not needed here).

Engines get `lookup` instead of the built-in registry, so these tests never import the steps.
The module is importable by Ray workers too, which is how the pool tests reach the tasks.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from processors.llm.protocol import LLMRequest, Prompt
from processors.llm.tasks import Task, TaskRegistry, require


class EchoInput(BaseModel):
    text: str


class EchoOutput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # A pattern on every string: without one, constrained decoding lets control characters through.
    label: str = Field(pattern=r"^[a-z]{1,8}$")
    count: int = Field(ge=0, le=999)
    flag: bool


def _prompt(task_input: EchoInput) -> Prompt:
    return Prompt(
        system="Reply with one JSON object: label (lowercase word), count (words), flag (has digits).",
        user=require(task_input.text, "text"),
        version="llm-test-echo-1",
    )


def _rules(task_input: EchoInput, ruleset: str) -> EchoOutput:
    if task_input.text == "undecidable":
        raise ValueError("no rule covers this text")
    if task_input.text == "explode":
        raise RuntimeError("a bug in the rules")
    letters = "".join(c for c in task_input.text.lower() if "a" <= c <= "z")
    return EchoOutput(
        label=letters[:8] or "none",
        count=min(len(task_input.text.split()), 999),
        flag=any(c.isdigit() for c in task_input.text),
    )


ECHO = Task(
    name="llm-test-echo",
    input_model=EchoInput,
    output_model=EchoOutput,
    prompt_version="llm-test-echo-1",
    build_prompt=_prompt,
    rules=_rules,
)

NO_RULES = Task(
    name="llm-test-no-rules",
    input_model=EchoInput,
    output_model=EchoOutput,
    prompt_version="llm-test-echo-1",
    build_prompt=_prompt,
)

lookup = TaskRegistry((ECHO, NO_RULES))


def echo_request(text: str, request_id: str, task: Task[Any, Any] = ECHO) -> LLMRequest:
    task_input = task.input_model(text=text)
    return LLMRequest(
        request_id=request_id,
        task=task.name,
        payload=task_input.model_dump(mode="json"),
        prompt=task.build_prompt(task_input),
        json_schema=task.json_schema(),
    )
