"""The one protocol every LLM engine implements, and the messages it exchanges.

A processor builds typed requests (a task, its validated input, the prompt built from
that input, the output's JSON schema); an engine answers each with a validated result
or a failure, with latency and token counts. Engines never see projections or Kafka.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field


class Prompt(BaseModel):
    """Prompt text is versioned by hash: a change to the wording is a new prompt hash."""

    model_config = ConfigDict(frozen=True)
    system: str
    user: str
    version: str

    @property
    def hash(self) -> str:
        return hashlib.sha256(f"{self.version}\x1f{self.system}\x1f{self.user}".encode()).hexdigest()


class LLMRequest(BaseModel):
    model_config = ConfigDict(frozen=True)
    request_id: str = Field(description="unique within one engine call; results carry it back")
    task: str = Field(description="registered task name, e.g. 'extract_summary'")
    payload: dict[str, Any] = Field(description="the task's input model, dumped as JSON-able data")
    prompt: Prompt
    json_schema: dict[str, Any] = Field(description="JSON schema the output must satisfy")


class LLMResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    request_id: str
    ok: bool
    output: dict[str, Any] | None = None
    raw: str = ""
    error: str | None = None
    latency_ms: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    attempts: int = 1


@runtime_checkable
class Engine(Protocol):
    """Batched, schema-constrained generation. One call = one batch; results in request order."""

    name: str
    model: str

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]: ...

    def close(self) -> None: ...


class EngineSpec(BaseModel):
    """`ENGINE:MODEL` as written in settings files and on the command line."""

    model_config = ConfigDict(frozen=True)
    engine: str
    model: str
    options: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> EngineSpec:
        engine, sep, model = text.partition(":")
        if not sep or not engine.strip() or not model.strip():
            raise ValueError(f"engine spec {text!r} must look like ENGINE:MODEL, e.g. rules:lily-rules-1")
        return cls(engine=engine.strip(), model=model.strip())

    def __str__(self) -> str:
        return f"{self.engine}:{self.model}"


class EngineError(RuntimeError):
    """The engine could not answer at all (not one bad output: that is a failed LLMResult)."""
