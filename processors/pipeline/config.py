"""Which engine and model each task uses, and the pipeline's policies. Configuration, not code."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from processors.pipeline.steps import LILY_ROLE_KEYS, TASK_STEP, check_engine

DEFAULT_ENGINE = "rules:rules-1"
# The product's Lily: ESCO skills from the linker (issue 10). Not PipelineConfig's own default,
# so a configuration built in code (tests, benchmarks) stays on the engine it names; the settings
# apply it (`with_lily_default`).
DEFAULT_LILY_ENGINE = "rules:hybrid-1"


class PipelineConfig(BaseModel):
    """Settings file section `[pipeline]`; `turing reprocess --model` overrides per command."""

    default_engine: str = Field(default=DEFAULT_ENGINE, description="ENGINE:MODEL for tasks not listed")
    engines: dict[str, str] = Field(
        default_factory=dict, description="task (or lily.validator) -> ENGINE:MODEL"
    )
    engine_options: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="engine name -> options (e.g. openai base_url, timeout_s)"
    )
    retries: int = Field(
        default=1, ge=0, le=5, description="extra attempts after a failed or rejected output"
    )
    batch_size: int = Field(default=64, ge=1, le=10_000, description="commands handled per engine batch")

    @field_validator("default_engine")
    @classmethod
    def _spec(cls, v: str) -> str:
        return check_engine(v)

    @field_validator("engines")
    @classmethod
    def _specs(cls, v: dict[str, str]) -> dict[str, str]:
        for task, spec in v.items():
            if task not in TASK_STEP and task not in LILY_ROLE_KEYS:
                raise ValueError(f"engines: unknown task {task!r}")
            check_engine(spec)
        return v

    def with_lily_default(self, spec: str = DEFAULT_LILY_ENGINE) -> PipelineConfig:
        """Lily on `spec` unless this configuration names an engine for Lily (`engines.lily`)
        or a `default_engine` for every task, which then wins as it says."""
        if "lily" in self.engines or "default_engine" in self.model_fields_set:
            return self
        return self.model_copy(update={"engines": {**self.engines, "lily": check_engine(spec)}})

    def effective(self, overrides: dict[str, str]) -> dict[str, str]:
        """task -> ENGINE:MODEL for a run: the command's overrides win over the configuration."""
        chosen = {task: self.engines.get(task, self.default_engine) for task in TASK_STEP}
        for role in LILY_ROLE_KEYS:
            if role in self.engines:
                chosen[role] = self.engines[role]
        chosen.update(overrides)
        return chosen
