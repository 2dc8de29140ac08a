"""The `vllm` engine: in-process vLLM (`vllm.LLM`) hosted in a Ray actor that holds a GPU.

Each request becomes one chat conversation with its own `SamplingParams`, constrained by
`StructuredOutputsParams(json=schema)` (vLLM >= 0.12; `guided_json` was removed there). The
actor returns text and token counts; parsing and validation happen here, as in every engine.
A batch is one `LLM.chat` call, so every result carries the batch's latency.

Not exercised in CI, on purpose: vLLM needs a GPU, and the vLLM that `ray[llm]==2.60.0` pins
(0.29) cannot run on a CPU (it imports, but has no `vllm._C` kernels and no CPU platform).
Building this engine without vLLM installed, or on a Ray cluster with no GPU, raises an
EngineError that says so. The request mapping it uses is shared with the Ray Data batch
path (`ray_jobs.batch_vllm`) and unit-tested there.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Sequence
from typing import Any

from processors.llm.chat import chat_messages, vllm_sampling_params
from processors.llm.options import VLLMOptions
from processors.llm.output_parsing import parse_output
from processors.llm.protocol import EngineError, LLMRequest, LLMResult
from processors.llm.tasks import TaskLookup

_MISSING = "install the `vllm` extra on a GPU machine: pip install 'turing[vllm]'"


def check_vllm_available(num_gpus: float) -> Any:
    """Ray, running and with enough GPUs, and vLLM importable; returns the `ray` module."""
    if importlib.util.find_spec("vllm") is None:
        raise EngineError(f"vLLM is not installed: {_MISSING}")
    try:
        import ray
    except ImportError as exc:
        raise EngineError(
            f"the vllm engine runs in a Ray actor and Ray is not installed: {_MISSING}"
        ) from exc
    if not ray.is_initialized():
        raise EngineError(
            "the vllm engine needs a running Ray: use ray_jobs.engine_pool.ray_runtime(data_dir)"
        )
    gpus = float(ray.cluster_resources().get("GPU", 0.0))
    if gpus < num_gpus:
        raise EngineError(
            f"the vllm engine needs {num_gpus:g} GPU(s) and the Ray cluster has {gpus:g}; "
            "vLLM cannot run on a CPU: use the transformers or openai engine there"
        )
    return ray


class _VLLMHost:
    """The actor body: the vLLM engine lives in the actor's process, next to its GPU."""

    def __init__(self, model: str, engine_kwargs: dict[str, Any]) -> None:
        from vllm import LLM

        self._llm = LLM(model=model, **engine_kwargs)

    def ready(self) -> bool:
        return True

    def chat(
        self, conversations: list[list[dict[str, str]]], params: list[dict[str, Any]]
    ) -> list[tuple[str, int, int]]:
        from vllm import SamplingParams
        from vllm.sampling_params import StructuredOutputsParams

        sampling = []
        for kwargs in params:
            kwargs = dict(kwargs)
            constraint = StructuredOutputsParams(**kwargs.pop("structured_outputs"))
            sampling.append(SamplingParams(**kwargs, structured_outputs=constraint))
        outputs = self._llm.chat(conversations, sampling_params=sampling, use_tqdm=False)
        return [
            (out.outputs[0].text, len(out.prompt_token_ids or []), len(out.outputs[0].token_ids))
            for out in outputs
        ]


class VLLMEngine:
    name = "vllm"

    def __init__(self, model: str, options: VLLMOptions | None = None, *, task_lookup: TaskLookup) -> None:
        self.model = model
        self.options = options or VLLMOptions()
        self._lookup = task_lookup
        self._ray = check_vllm_available(self.options.num_gpus)
        host = self._ray.remote(num_gpus=self.options.num_gpus, num_cpus=1)(_VLLMHost)
        self._actor = host.remote(model, dict(self.options.engine_kwargs))
        try:
            self._ray.get(self._actor.ready.remote())
        except Exception as exc:
            self.close()
            raise EngineError(f"vLLM failed to load {model!r}: {exc}") from exc

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        if not requests:
            return []
        opts = self.options
        params = [
            vllm_sampling_params(r, max_tokens=opts.max_tokens, temperature=opts.temperature, seed=opts.seed)
            for r in requests
        ]
        start = time.perf_counter()
        try:
            answers = self._ray.get(
                self._actor.chat.remote([chat_messages(r.prompt) for r in requests], params)
            )
        except Exception as exc:
            error = f"vLLM batch failed: {type(exc).__name__}: {exc}"
            return [LLMResult(request_id=r.request_id, ok=False, error=error) for r in requests]
        latency_ms = (time.perf_counter() - start) * 1000.0
        results = []
        for request, (text, tokens_in, tokens_out) in zip(requests, answers, strict=True):
            parsed = parse_output(text, request.task, self._lookup)
            results.append(
                LLMResult(
                    request_id=request.request_id,
                    ok=parsed.ok,
                    output=parsed.output,
                    raw=text,
                    error=parsed.error,
                    latency_ms=latency_ms,
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                )
            )
        return results

    def close(self) -> None:
        actor = getattr(self, "_actor", None)
        if actor is not None:
            self._ray.kill(actor)
            self._actor = None
