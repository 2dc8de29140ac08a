"""The `openai` engine against a FAKE OpenAI-compatible server (a real HTTP server, scripted replies)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from processors.llm.options import OpenAIOptions
from processors.llm.protocol import EngineError
from ray_jobs.engines.openai_engine import OpenAIEngine
from tests.processors.llm.fake_openai import FakeOpenAIServer, Reply
from tests.processors.llm.sample_tasks import echo_request, lookup

GOOD = {"label": "hello", "count": 2, "flag": False}


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def _engine(server: FakeOpenAIServer, **overrides: object) -> OpenAIEngine:
    options = {"base_url": server.base_url, "timeout_s": 2.0, "max_retries": 2, "backoff_s": 0.01}
    options.update(overrides)
    return OpenAIEngine("fake-model", OpenAIOptions.model_validate(options), task_lookup=lookup)


def _generate(engine: OpenAIEngine, *texts: str) -> list:
    try:
        return engine.generate([echo_request(t, f"r{i}") for i, t in enumerate(texts)])
    finally:
        engine.close()


def test_valid_output_is_validated_with_tokens_and_latency(server: FakeOpenAIServer) -> None:
    server.push(Reply.json(GOOD, prompt_tokens=40, completion_tokens=12))
    [result] = _generate(_engine(server), "hello world")
    assert result.ok and result.output == GOOD
    assert (result.tokens_in, result.tokens_out, result.attempts) == (40, 12, 1)
    assert result.latency_ms > 0
    assert result.request_id == "r0"


def test_structured_outputs_body(server: FakeOpenAIServer) -> None:
    server.push(Reply.json(GOOD))
    _generate(_engine(server), "hello world")
    [body] = server.requests
    assert body["model"] == "fake-model"
    assert body["temperature"] == 0
    assert body["structured_outputs"]["json"]["properties"]["label"]["pattern"] == "^[a-z]{1,8}$"
    assert "response_format" not in body
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"] == "hello world"


def test_response_format_body(server: FakeOpenAIServer) -> None:
    server.push(Reply.json(GOOD))
    _generate(_engine(server, schema_mode="response_format"), "hello world")
    [body] = server.requests
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "llm-test-echo"
    assert fmt["json_schema"]["strict"] is True
    assert set(fmt["json_schema"]["schema"]["required"]) == {"label", "count", "flag"}
    assert "structured_outputs" not in body


def test_fenced_json_is_accepted(server: FakeOpenAIServer) -> None:
    server.push(Reply.text('```json\n{"label": "abc", "count": 1, "flag": true}\n```'))
    [result] = _generate(_engine(server), "abc")
    assert result.ok and result.output == {"label": "abc", "count": 1, "flag": True}


@pytest.mark.parametrize(
    ("reply", "error_start"),
    [
        (Reply.text('{"label": "abc", "count": '), "malformed JSON"),
        (Reply.json({"label": "ABC!", "count": 1, "flag": True}), "schema-invalid"),
        (Reply.json({"label": "abc", "count": 1}), "schema-invalid"),
        (Reply.error(500, "engine crashed"), "HTTP 500"),
        (Reply.error(429, "slow down"), "HTTP 429"),
    ],
)
def test_persistent_fault_fails_after_all_retries(
    server: FakeOpenAIServer, reply: Reply, error_start: str
) -> None:
    server.default = reply
    [result] = _generate(_engine(server, max_retries=2), "abc")
    assert not result.ok
    assert result.error is not None and result.error.startswith(error_start)
    assert result.attempts == 3
    assert len(server.requests) == 3
    # Tokens spent on the bad answers still count: they are what the decision cost.
    if reply.status == 200:
        assert result.tokens_in == 3 * reply.prompt_tokens
        assert result.raw == reply.content


def test_retries_then_success(server: FakeOpenAIServer) -> None:
    server.push(
        Reply.error(503, "warming up"),
        Reply.text("not json at all"),
        Reply.json({"label": "abc", "count": "many", "flag": True}),
        Reply.json(GOOD),
    )
    [result] = _generate(_engine(server, max_retries=3), "hello world")
    assert result.ok and result.output == GOOD
    assert result.attempts == 4


def test_timeout_is_retried(server: FakeOpenAIServer) -> None:
    server.push(Reply.json(GOOD, delay_s=3.0), Reply.json(GOOD))
    [result] = _generate(_engine(server, timeout_s=0.3, max_retries=1), "hello world")
    assert result.ok and result.attempts == 2


def test_timeout_every_time_fails(server: FakeOpenAIServer) -> None:
    server.default = Reply.json(GOOD, delay_s=3.0)
    [result] = _generate(_engine(server, timeout_s=0.3, max_retries=1), "hello world")
    assert not result.ok and result.error is not None and result.error.startswith("timeout")
    assert result.attempts == 2


def test_client_error_is_not_retried(server: FakeOpenAIServer) -> None:
    server.push(Reply.error(400, "max_tokens is too large for this model"), Reply.json(GOOD))
    [result] = _generate(_engine(server, max_retries=3), "hello world")
    assert not result.ok and result.attempts == 1
    assert result.error == 'HTTP 400: {"error": {"message": "max_tokens is too large for this model"}}'
    assert len(server.requests) == 1


def test_connection_refused_is_a_failed_result() -> None:
    with FakeOpenAIServer() as fake:
        url = fake.base_url  # a port that was free a moment ago and is closed now
    engine = OpenAIEngine("m", OpenAIOptions(base_url=url, max_retries=1, backoff_s=0.0), task_lookup=lookup)
    [result] = _generate(engine, "abc")
    assert not result.ok and result.error is not None and result.error.startswith("connection error")
    assert result.attempts == 2


def test_concurrency_limit_and_order(server: FakeOpenAIServer) -> None:
    server.default = Reply.json(GOOD, delay_s=0.2)
    texts = [f"text {i}" for i in range(9)]
    results = _generate(_engine(server, concurrency=3), *texts)
    assert [r.request_id for r in results] == [f"r{i}" for i in range(9)]
    assert all(r.ok for r in results)
    assert server.max_in_flight == 3


def test_one_bad_output_does_not_fail_the_batch(server: FakeOpenAIServer) -> None:
    server.push(Reply.json(GOOD), Reply.error(404, "no such model"), Reply.json(GOOD))
    results = _generate(_engine(server, concurrency=1, max_retries=0), "a", "b", "c")
    assert [r.ok for r in results] == [True, False, True]


def test_api_key_comes_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TURING_TEST_LLM_KEY", raising=False)
    with pytest.raises(EngineError, match="TURING_TEST_LLM_KEY"):
        OpenAIEngine("m", OpenAIOptions(api_key_env="TURING_TEST_LLM_KEY"), task_lookup=lookup)
