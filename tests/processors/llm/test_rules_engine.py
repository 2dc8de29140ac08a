"""The `rules` engine: a task's deterministic rules behind the Engine protocol."""

from __future__ import annotations

from processors.llm.protocol import Engine, LLMRequest
from processors.llm.rules_engine import RulesEngine
from tests.processors.llm.sample_tasks import NO_RULES, echo_request, lookup


def test_outputs_in_request_order() -> None:
    engine = RulesEngine("rules-test-1", task_lookup=lookup)
    assert isinstance(engine, Engine)
    results = engine.generate([echo_request("Python 3 and SQL", "a"), echo_request("go", "b")])
    assert [r.request_id for r in results] == ["a", "b"]
    assert results[0].output == {"label": "pythonan", "count": 4, "flag": True}
    assert results[1].output == {"label": "go", "count": 1, "flag": False}
    assert all(r.ok and r.tokens_in == 0 and r.tokens_out == 0 and r.latency_ms >= 0 for r in results)


def test_value_error_is_a_failed_result() -> None:
    [result] = RulesEngine(task_lookup=lookup).generate([echo_request("undecidable", "a")])
    assert not result.ok and result.output is None
    assert result.error == "rules 'rules-1' failed: no rule covers this text"


def test_task_without_rules_fails() -> None:
    [result] = RulesEngine(task_lookup=lookup).generate([echo_request("x", "a", task=NO_RULES)])
    assert not result.ok and "no rules implementation" in (result.error or "")


def test_unknown_task_and_bad_payload_fail_per_request() -> None:
    good = echo_request("fine", "ok")
    unknown = good.model_copy(update={"request_id": "u", "task": "llm-test-nope"})
    bad_payload = LLMRequest(
        request_id="p", task=good.task, payload={"text": 3}, prompt=good.prompt, json_schema=good.json_schema
    )
    results = RulesEngine(task_lookup=lookup).generate([good, unknown, bad_payload])
    assert [r.ok for r in results] == [True, False, False]
    assert (results[1].error or "").startswith("unknown task")
    assert (results[2].error or "").startswith("invalid input")
