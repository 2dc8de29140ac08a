"""Bulk replays on Ray Data: `ray.data.llm.build_processor` with a vLLM engine stage.

Each LLMRequest becomes a row with chat `messages` and per-row `sampling_params` carrying
the schema constraint (`structured_outputs`); the processor's output rows come back to
LLMResults here, parsed and validated in the driver like every engine's output. Rows that
vLLM failed on (with `should_continue_on_error`) become failed results, not a failed job.

Not run in CI: it needs a GPU and the `vllm` extra (`ray[llm]`, which pins vLLM 0.29, and
that vLLM cannot run on a CPU). `request_to_row` and `row_to_result` are pure and tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from processors.llm.chat import chat_messages, vllm_sampling_params
from processors.llm.output_parsing import parse_output
from processors.llm.protocol import EngineError, LLMRequest, LLMResult
from processors.llm.tasks import TaskLookup

# Columns the vLLM stage writes, and the one it sets when a row failed.
GENERATED_TEXT = "generated_text"
INPUT_TOKENS = "num_input_tokens"
OUTPUT_TOKENS = "num_generated_tokens"
ROW_ERROR = "__inference_error__"
LLM_SECONDS = "time_taken_llm"


def request_to_row(
    request: LLMRequest, *, max_tokens: int = 1024, temperature: float = 0.0, seed: int | None = 0
) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "task": request.task,
        "messages": chat_messages(request.prompt),
        "sampling_params": vllm_sampling_params(
            request, max_tokens=max_tokens, temperature=temperature, seed=seed
        ),
    }


def keep_result_columns(row: dict[str, Any]) -> dict[str, Any]:
    """The postprocess stage: only what `row_to_result` reads travels back to the driver."""
    return {
        "request_id": row["request_id"],
        "task": row["task"],
        GENERATED_TEXT: row.get(GENERATED_TEXT) or "",
        INPUT_TOKENS: int(row.get(INPUT_TOKENS) or 0),
        OUTPUT_TOKENS: int(row.get(OUTPUT_TOKENS) or 0),
        ROW_ERROR: row.get(ROW_ERROR) or "",
        LLM_SECONDS: float(row.get(LLM_SECONDS) or 0.0),
    }


def row_to_result(row: dict[str, Any], task_lookup: TaskLookup) -> LLMResult:
    common: dict[str, Any] = {
        "request_id": str(row["request_id"]),
        "raw": row.get(GENERATED_TEXT) or "",
        "latency_ms": max(0.0, float(row.get(LLM_SECONDS) or 0.0)) * 1000.0,
        "tokens_in": int(row.get(INPUT_TOKENS) or 0),
        "tokens_out": int(row.get(OUTPUT_TOKENS) or 0),
    }
    if row.get(ROW_ERROR):
        return LLMResult(ok=False, error=f"vLLM failed on this row: {row[ROW_ERROR]}", **common)
    parsed = parse_output(common["raw"], str(row["task"]), task_lookup)
    return LLMResult(ok=parsed.ok, output=parsed.output, error=parsed.error, **common)


def run_batch(
    requests: Sequence[LLMRequest],
    *,
    model_source: str,
    engine_kwargs: dict[str, Any] | None = None,
    batch_size: int = 32,
    concurrency: int = 1,
    max_tokens: int = 1024,
    temperature: float = 0.0,
    seed: int | None = 0,
    task_lookup: TaskLookup,
) -> list[LLMResult]:
    """Run `requests` through vLLM replicas on Ray Data; results in request order. Ray must be running."""
    try:
        import ray.data
        from ray.data.llm import build_processor, vLLMEngineProcessorConfig
    except ImportError as exc:
        raise EngineError(f"Ray Data LLM is not installed ({exc.name}): pip install 'turing[vllm]'") from exc
    config = vLLMEngineProcessorConfig(
        model_source=model_source,
        engine_kwargs=dict(engine_kwargs or {}),
        batch_size=batch_size,
        concurrency=concurrency,
        should_continue_on_error=True,
    )
    processor = build_processor(config, postprocess=keep_result_columns)
    rows = [request_to_row(r, max_tokens=max_tokens, temperature=temperature, seed=seed) for r in requests]
    answered = {row["request_id"]: row for row in processor(ray.data.from_items(rows)).take_all()}
    results = []
    for request in requests:
        row = answered.get(request.request_id)
        if row is None:
            results.append(LLMResult(request_id=request.request_id, ok=False, error="no row came back"))
        else:
            results.append(row_to_result(row, task_lookup))
    return results
