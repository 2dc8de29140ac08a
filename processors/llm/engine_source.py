"""What a service is handed to reach its engines: the wiring layer's engine cache, as a port."""

from __future__ import annotations

from typing import Protocol

from processors.llm.protocol import Engine
from processors.llm.tasks import TaskLookup


class EngineSource(Protocol):
    """Engines by `ENGINE:MODEL` spec, built on first use and closed together.

    The wiring layer implements it (`infra/engine_factory.py`: options, task registry, the
    rulesets bound to resources). `tasks` are the tasks its engines run: the executor must be
    given the same ones.
    """

    @property
    def tasks(self) -> TaskLookup: ...

    def __call__(self, spec: str) -> Engine: ...

    def close(self) -> None: ...
