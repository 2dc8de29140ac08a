"""The Ray Data vLLM path's request -> row -> result mapping (pure: vLLM and Ray Data are not imported)."""

from __future__ import annotations

import json

from ray_jobs.batch_vllm import keep_result_columns, request_to_row, row_to_result
from tests.processors.llm.sample_tasks import echo_request, lookup


def test_request_to_row_carries_messages_and_schema_constraint() -> None:
    request = echo_request("python five years", "r7")
    row = request_to_row(request, max_tokens=256, temperature=0.0, seed=3)
    assert row["request_id"] == "r7" and row["task"] == "llm-test-echo"
    assert row["messages"] == [
        {"role": "system", "content": request.prompt.system},
        {"role": "user", "content": "python five years"},
    ]
    params = row["sampling_params"]
    assert (params["max_tokens"], params["temperature"], params["seed"]) == (256, 0.0, 3)
    assert json.loads(params["structured_outputs"]["json"]) == request.json_schema
    json.dumps(row)  # rows must be plain data to travel through Ray Data


def _engine_row(**overrides: object) -> dict:
    row = {
        "request_id": "r1",
        "task": "llm-test-echo",
        "messages": [],
        "generated_text": '{"label": "ab", "count": 1, "flag": false}',
        "num_input_tokens": 30,
        "num_generated_tokens": 9,
        "time_taken_llm": 0.25,
        "prompt": "...",
    }
    row.update(overrides)
    return keep_result_columns(row)


def test_row_to_result_validates_the_text() -> None:
    result = row_to_result(_engine_row(), lookup)
    assert result.ok and result.output == {"label": "ab", "count": 1, "flag": False}
    assert (result.tokens_in, result.tokens_out, result.latency_ms) == (30, 9, 250.0)


def test_row_to_result_failures() -> None:
    bad = row_to_result(_engine_row(generated_text='{"label": "ab"'), lookup)
    assert not bad.ok and (bad.error or "").startswith("malformed JSON")
    failed = row_to_result(
        _engine_row(generated_text="", __inference_error__="ValueError: prompt too long", time_taken_llm=-1),
        lookup,
    )
    assert not failed.ok and failed.error == "vLLM failed on this row: ValueError: prompt too long"
    assert failed.latency_ms == 0.0
