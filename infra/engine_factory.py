"""`ENGINE:MODEL` plus options -> an engine. Configuration picks the engine per step.

The engines import their optional packages (torch, xgrammar, Ray, vLLM) only when one is
built, and fail with an EngineError naming the extra to install.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from processors.llm.options import OPTIONS_BY_ENGINE, OpenAIOptions, TransformersOptions, VLLMOptions
from processors.llm.protocol import Engine, EngineSpec
from processors.llm.rules_engine import RulesEngine
from processors.llm.tasks import TaskLookup
from ray_jobs.engine_pool import EnginePool
from ray_jobs.engines.openai_engine import OpenAIEngine
from ray_jobs.engines.transformers_engine import TransformersEngine
from ray_jobs.engines.vllm_engine import VLLMEngine

KNOWN_ENGINES = tuple(OPTIONS_BY_ENGINE)


@dataclass(frozen=True)
class BoundRuleset:
    """A ruleset that reads more than its input (a linker): the tasks it runs and what it reads.

    `identity` is the model a decision records, so a decision made with other resources is
    never reused for this one.
    """

    identity: str
    task_lookup: TaskLookup


class EngineCache:
    """Engines built once per `ENGINE:MODEL` with their configured options, closed together.

    `tasks`: how every engine finds a request's task (the wiring passes the task registry).

    `rulesets`: ruleset name -> how to bind it (called once, on first use), for rules engines
    whose ruleset needs resources the wiring layer loads (Lily's `hybrid-1` and its linker).
    `tasks`: the tasks the engines run (built for the configured taxonomy); the executor must
    be given the same ones.
    """

    def __init__(
        self,
        options: Mapping[str, dict[str, Any]] | None = None,
        rulesets: Mapping[str, Callable[[], BoundRuleset]] | None = None,
        *,
        tasks: TaskLookup,
    ) -> None:
        self.options = dict(options or {})
        self.tasks = tasks
        self._rulesets = dict(rulesets or {})
        self._bound: dict[str, BoundRuleset] = {}
        self._engines: dict[str, Engine] = {}

    def __call__(self, spec: str) -> Engine:
        if spec not in self._engines:
            parsed = EngineSpec.parse(spec)
            bound = self._binding(parsed)
            if bound is not None:
                self._engines[spec] = RulesEngine(parsed.model, task_lookup=bound.task_lookup)
            else:
                self._engines[spec] = build_engine(
                    parsed, self.options.get(parsed.engine), task_lookup=self.tasks
                )
        return self._engines[spec]

    def recorded_model(self, spec: EngineSpec) -> str:
        """The model a decision names: the bound ruleset's identity, else the spec's model."""
        bound = self._binding(spec)
        return bound.identity if bound is not None else spec.model

    def _binding(self, spec: EngineSpec) -> BoundRuleset | None:
        if spec.engine != "rules" or spec.model not in self._rulesets:
            return None
        if spec.model not in self._bound:
            self._bound[spec.model] = self._rulesets[spec.model]()
        return self._bound[spec.model]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()
        self._engines.clear()


def build_engine(
    spec: EngineSpec, options: dict[str, Any] | None = None, *, task_lookup: TaskLookup
) -> Engine:
    """Build the engine `spec` names; options come from the spec, then `options` (which win).

    `pool=N` hosts N copies as Ray actors (Ray must be running: `ray_jobs.engine_pool.ray_runtime`).
    """
    if spec.engine not in OPTIONS_BY_ENGINE:
        raise ValueError(f"unknown engine {spec.engine!r}; known engines: {', '.join(KNOWN_ENGINES)}")
    merged = {**spec.options, **(options or {})}
    validated = OPTIONS_BY_ENGINE[spec.engine].model_validate(merged)
    if validated.pool:
        # Each actor builds its own copy from this (Ray pickles it), without the pool options.
        inner = {k: v for k, v in merged.items() if k not in ("pool", "pool_num_cpus")}
        copy = functools.partial(build_engine, spec, inner, task_lookup=task_lookup)
        return EnginePool(copy, validated.pool, num_cpus=validated.pool_num_cpus)
    if spec.engine == "rules":
        return RulesEngine(spec.model, task_lookup=task_lookup)
    if spec.engine == "openai":
        assert isinstance(validated, OpenAIOptions)
        return OpenAIEngine(spec.model, validated, task_lookup=task_lookup)
    if spec.engine == "transformers":
        assert isinstance(validated, TransformersOptions)
        return TransformersEngine(spec.model, validated, task_lookup=task_lookup)
    assert isinstance(validated, VLLMOptions)
    return VLLMEngine(spec.model, validated, task_lookup=task_lookup)
