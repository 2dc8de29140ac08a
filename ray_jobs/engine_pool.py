"""N copies of an engine as Ray actors, behind the same `Engine` protocol.

Each actor builds its own engine (the model loads in the actor's process) from a factory
that Ray pickles; a batch is cut into one contiguous shard per actor and the answers are put
back in request order. An actor that raises loses only its shard: those requests come back
as failed results carrying the error, the others as answered.

Actors take fractional CPUs (by default the pool holds at most half the machine) because
whole-CPU actors can hold every CPU and starve a later Ray Data job forever.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from processors.llm.protocol import Engine, EngineError, LLMRequest, LLMResult

EngineFactory = Callable[[], Engine]

_MISSING = "install the `ray` extra: pip install 'turing[ray]'"
# Ray puts unix sockets under its temp dir, and a socket path must stay under 107 bytes.
_MAX_TEMP_DIR_LEN = 48


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise EngineError(f"Ray is not installed: {_MISSING}") from exc
    return ray


def ray_temp_dir(data_dir: Path | str) -> Path:
    """`<data_dir>/ray` when that is short enough for Ray's sockets, else a fresh short temp dir."""
    preferred = Path(data_dir).absolute() / "ray"
    if len(str(preferred)) <= _MAX_TEMP_DIR_LEN:
        preferred.mkdir(parents=True, exist_ok=True)
        return preferred
    return Path(tempfile.mkdtemp(prefix="tr-ray-"))


def start_ray(data_dir: Path | str, *, num_cpus: int | None = None) -> bool:
    """Start a local Ray unless one is running; True when this call started it."""
    ray = _import_ray()
    if ray.is_initialized():
        return False
    # Local runtimes only: an operator who sets these for a cluster keeps their values.
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(
        num_cpus=num_cpus or os.cpu_count() or 2,
        include_dashboard=False,
        _temp_dir=str(ray_temp_dir(data_dir)),
        ignore_reinit_error=True,
        log_to_driver=False,
    )
    return True


@contextlib.contextmanager
def ray_runtime(data_dir: Path | str, *, num_cpus: int | None = None) -> Iterator[None]:
    """Ray for the duration of the block; shut down on exit only if this block started it."""
    started = start_ray(data_dir, num_cpus=num_cpus)
    try:
        yield
    finally:
        if started:
            _import_ray().shutdown()


class _EngineHost:
    """The actor body: one engine, built inside the actor's process."""

    def __init__(self, factory: EngineFactory) -> None:
        self._engine = factory()

    def describe(self) -> tuple[str, str]:
        return self._engine.name, self._engine.model

    def generate(self, requests: list[LLMRequest]) -> list[LLMResult]:
        return self._engine.generate(requests)

    def close(self) -> None:
        self._engine.close()


class EnginePool:
    """`size` actors each hosting an engine from `factory`; Ray must be running (see `ray_runtime`)."""

    def __init__(self, factory: EngineFactory, size: int = 2, *, num_cpus: float | None = None) -> None:
        if size < 1:
            raise ValueError(f"an engine pool needs at least one actor, got {size}")
        ray = _import_ray()
        if not ray.is_initialized():
            raise EngineError(
                "EnginePool needs a running Ray: use ray_jobs.engine_pool.ray_runtime(data_dir)"
            )
        self._ray = ray
        self.num_cpus = num_cpus if num_cpus is not None else default_actor_cpus(ray, size)
        # A crashed actor is restarted for the next batch; its in-flight shard is not re-run,
        # it comes back failed (a retry is the caller's policy, not the pool's).
        host = ray.remote(num_cpus=self.num_cpus, max_restarts=1, max_task_retries=0)(_EngineHost)
        self._actors = [host.remote(factory) for _ in range(size)]
        try:
            names = ray.get([actor.describe.remote() for actor in self._actors])
        except Exception as exc:
            self.close()
            raise EngineError(f"engine actors failed to start: {_cause(exc)}") from exc
        self.name, self.model = names[0]

    @property
    def size(self) -> int:
        return len(self._actors)

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        shards = split_evenly(list(requests), len(self._actors))
        pending = [
            (shard, actor.generate.remote(shard))
            for actor, shard in zip(self._actors, shards, strict=True)
            if shard
        ]
        results: list[LLMResult] = []
        for shard, ref in pending:
            try:
                answered: list[LLMResult] = self._ray.get(ref)
            except Exception as exc:
                results.extend(_failed(r, f"engine actor failed: {_cause(exc)}") for r in shard)
                continue
            if [r.request_id for r in answered] != [r.request_id for r in shard]:
                results.extend(
                    _failed(r, "engine actor answered out of order or incompletely") for r in shard
                )
                continue
            results.extend(answered)
        return results

    def close(self) -> None:
        actors, self._actors = self._actors, []
        with contextlib.suppress(Exception):
            # Let engines release what they hold; a hung or dead actor is killed regardless.
            self._ray.get([actor.close.remote() for actor in actors], timeout=30)
        for actor in actors:
            with contextlib.suppress(Exception):
                self._ray.kill(actor)


def default_actor_cpus(ray: Any, size: int) -> float:
    total = float(ray.cluster_resources().get("CPU", 1.0))
    return max(0.01, round(min(1.0, total / (2 * size)), 2))


def split_evenly(items: list[LLMRequest], parts: int) -> list[list[LLMRequest]]:
    """Contiguous shards whose sizes differ by at most one (empty ones at the end)."""
    size, extra = divmod(len(items), parts)
    shards, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        shards.append(items[start:end])
        start = end
    return shards


def _cause(exc: BaseException) -> str:
    # RayTaskError wraps the actor's exception; its own text is a long remote traceback.
    cause = getattr(exc, "cause", None) or exc
    return f"{type(cause).__name__}: {cause}"


def _failed(request: LLMRequest, error: str) -> LLMResult:
    return LLMResult(request_id=request.request_id, ok=False, error=error)
