"""Per-engine options, as a settings file writes them (unknown keys are errors, not silently ignored).

`pool` is common to every engine: N > 0 hosts N copies of the engine as Ray actors.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pool: int | None = Field(default=None, ge=1, description="host this many copies as Ray actors")
    pool_num_cpus: float | None = Field(
        default=None, gt=0, description="CPUs per pool actor; default: the pool takes at most half the CPUs"
    )


class RulesOptions(_Options):
    pass


class OpenAIOptions(_Options):
    base_url: str = Field(
        default="http://127.0.0.1:8000/v1", description="ends with /v1, like OpenAI clients"
    )
    api_key_env: str | None = Field(
        default=None, description="name of the environment variable holding the key"
    )
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=2, ge=0, description="extra attempts after the first")
    backoff_s: float = Field(default=0.5, ge=0, description="base of the exponential backoff (full jitter)")
    max_backoff_s: float = Field(default=20.0, ge=0)
    concurrency: int = Field(default=8, ge=1, description="requests of one batch in flight at once")
    schema_mode: Literal["structured_outputs", "response_format"] = "structured_outputs"
    temperature: float = Field(default=0.0, ge=0)
    max_tokens: int | None = Field(default=None, ge=1)


class TransformersOptions(_Options):
    max_new_tokens: int = Field(default=512, ge=1)
    temperature: float = Field(default=0.0, ge=0, description="0 = greedy")
    seed: int = 0
    device: str = "cpu"


class VLLMOptions(_Options):
    engine_kwargs: dict[str, Any] = Field(default_factory=dict, description="passed to vllm.LLM")
    max_tokens: int = Field(default=1024, ge=1)
    temperature: float = Field(default=0.0, ge=0)
    seed: int | None = 0
    num_gpus: float = Field(default=1.0, gt=0, description="GPUs for the Ray actor hosting vLLM")


OPTIONS_BY_ENGINE: dict[str, type[_Options]] = {
    "rules": RulesOptions,
    "openai": OpenAIOptions,
    "transformers": TransformersOptions,
    "vllm": VLLMOptions,
}


class EngineOptions(BaseModel):
    """The `[engines]` part of a settings file: one table per engine kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: RulesOptions = Field(default_factory=RulesOptions)
    openai: OpenAIOptions = Field(default_factory=OpenAIOptions)
    transformers: TransformersOptions = Field(default_factory=TransformersOptions)
    vllm: VLLMOptions = Field(default_factory=VLLMOptions)

    def for_engine(self, engine: str) -> dict[str, Any]:
        """The options set explicitly for `engine`, as `build_engine` takes them."""
        options: _Options = getattr(self, engine)
        return options.model_dump(exclude_unset=True)
