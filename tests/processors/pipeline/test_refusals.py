"""Requests that cannot run are refused before anything is emitted, and a run whose step failed
never puts a derivation in force (issue 14, item 5)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from infra.engine_factory import build_engine
from processors.llm.protocol import EngineError, EngineSpec, LLMRequest, LLMResult
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import reprocess_command
from processors.pipeline.executor import execute
from processors.pipeline.payload import requirements_json
from processors.pipeline.steps import check_request, parse_overrides
from processors.pipeline.work import RunInput
from processors.tasks import REGISTRY
from schemas.limits import event_problems
from schemas.models import DerivationEvent, Producer, RunEvent
from tests.processors.pipeline.fixtures import Engines, ScriptedFakeLLM, run_input, sample_inputs

ME = Producer(component="tests", version="1")


def test_an_unknown_engine_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError) as err:
        parse_overrides(["lily=warp:drive"])
    message = str(err.value)
    assert "unknown engine 'warp'" in message and "rules, openai, transformers, vllm" in message
    with pytest.raises(ValueError, match="unknown engine 'warp'"):
        PipelineConfig(engines={"lily": "warp:drive"})
    with pytest.raises(ValueError, match="unknown engine 'warp'"):
        PipelineConfig(default_engine="warp:drive")
    assert parse_overrides(["lily=rules:rules-broad"]) == {"lily": "rules:rules-broad"}


def test_a_priority_or_reason_the_log_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError, match="--priority"):
        check_request(priority=99_999_999_999_999, reason="t")
    with pytest.raises(ValueError, match="--priority"):
        check_request(priority=-(2**31) - 1, reason="t")
    with pytest.raises(ValueError, match="--reason holds a NUL"):
        check_request(priority=0, reason="a\x00b")
    check_request(priority=2**31 - 1, reason="largest that fits")


def _with_overrides(inp: RunInput, overrides: dict[str, str]) -> RunInput:
    assert inp.posting is not None
    command = reprocess_command(
        inp.command.posting_id, start_step="extract_summary", overrides=overrides, reason="t",
        requested_by="tests", priority=0, producer=ME,
    )  # fmt: skip
    event = _posting_event(inp)
    return run_input(event, command=command)


def _posting_event(inp: RunInput):  # type: ignore[no-untyped-def]
    from processors.intake.changes import decide

    assert inp.posting is not None
    event = decide(inp.posting.posting_id, inp.posting.content, None, ME, inp.posting.first_seen_at)
    assert event is not None
    return event


def _derivations(events: Sequence[object]) -> list[DerivationEvent]:
    return [e for e in events if isinstance(e, DerivationEvent)]


def test_a_command_naming_an_unknown_engine_fails_its_run_before_any_engine_is_asked() -> None:
    # A command from an older producer, bypassing the CLI's check.
    good, bad = sample_inputs(2)
    engines = Engines()
    results = execute(
        [good, _with_overrides(bad, {"lily": "warp:drive"})], PipelineConfig(), engines, tasks=REGISTRY
    )
    assert [r.status for r in results] == ["completed", "failed"]
    failed = results[1]
    assert "unknown engine 'warp'" in (failed.work.failed or "")
    assert not _derivations(failed.events) and failed.work.decisions == []
    last = failed.events[-1]
    assert isinstance(last, RunEvent) and last.status == "failed" and last.error == failed.work.failed
    assert all("warp" not in spec for spec, _task, _n in engines.calls)


class _Down:
    """An engine whose endpoint cannot be reached: every call raises."""

    name, model = "openai", "down"

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        raise EngineError("connection refused")

    def close(self) -> None:
        pass


def test_lily_without_an_answer_fails_the_run_and_derives_nothing() -> None:
    config = PipelineConfig(engines={"lily": "openai:down"}, retries=0)
    (result,) = execute(sample_inputs(1), config, Engines({"openai:down": _Down()}), tasks=REGISTRY)
    assert result.status == "failed" and result.work.failed_step == "lily"
    assert "connection refused" in (result.work.failed or "")
    assert not _derivations(result.events)


def test_a_validator_without_an_answer_fails_the_run_too() -> None:
    config = PipelineConfig(engines={"lily.validator": "openai:down"}, retries=0)
    (result,) = execute(sample_inputs(1), config, Engines({"openai:down": _Down()}), tasks=REGISTRY)
    assert result.status == "failed" and result.work.failed_step == "lily"
    assert not _derivations(result.events)


def test_output_holding_infinity_is_a_failed_decision_never_projected() -> None:
    # The schema allows any track-record value; the log and jsonb hold only finite ones.
    track = {"category": "financial", "value": "INF", "confidence": 0.9}
    stack = {"track_record": track, "parse_confidence": 0.9}
    raw = json.dumps({"text": "x", "proof_stacks": [stack]}).replace('"INF"', "Infinity")
    rules = build_engine(EngineSpec.parse("rules:rules-1"), task_lookup=REGISTRY)
    fake = ScriptedFakeLLM({"lily": raw}, rules)
    config = PipelineConfig(engines={"lily": "openai:fake-llm"}, retries=0)
    (result,) = execute(sample_inputs(1), config, Engines({"openai:fake-llm": fake}), tasks=REGISTRY)
    lily = [d for d in result.work.decisions if d.task == "lily"]
    assert lily and all(d.status == "failed" and "unstorable output" in (d.error or "") for d in lily)
    assert all("is inf" in (d.error or "") and d.output == "" for d in lily)
    (derivation,) = _derivations(result.events)
    stacks = [s for q in requirements_json(derivation) for s in q["proof_stacks"]]
    assert stacks and all(s["track_record"] is None and s["flags"] for s in stacks)


class _Garbled(_Down):
    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        raise EngineError("upstream answered b'\x00\xff' \ud800")


def test_a_failure_message_quoting_bad_bytes_is_escaped_before_it_is_emitted() -> None:
    config = PipelineConfig(engines={"extract_summary": "openai:down"}, retries=0)
    (result,) = execute(sample_inputs(1), config, Engines({"openai:down": _Garbled()}), tasks=REGISTRY)
    assert result.status == "failed" and "\\u0000" in (result.work.failed or "")
    assert all(event_problems(e) == [] for e in result.events)


def test_a_command_the_log_cannot_carry_fails_only_its_run_with_storable_events() -> None:
    good, bad = sample_inputs(2)
    poison = reprocess_command(
        bad.command.posting_id, start_step="extract_summary", overrides={}, reason="why\x00not",
        requested_by="tests", priority=99_999_999_999_999, producer=ME,
    )  # fmt: skip
    results = execute(
        [good, run_input(_posting_event(bad), command=poison)], PipelineConfig(), Engines(), tasks=REGISTRY
    )
    by_posting = {r.work.posting_id: r for r in results}
    assert by_posting[good.command.posting_id].status == "completed"
    failed = by_posting[bad.command.posting_id]
    assert failed.status == "failed"
    assert "priority" in (failed.work.failed or "") and "NUL" in (failed.work.failed or "")
    assert all(event_problems(e) == [] for r in results for e in r.events)
    started = failed.events[0]
    assert isinstance(started, RunEvent) and started.priority == 0 and started.reason == "why\\u0000not"
    assert not _derivations(failed.events)
