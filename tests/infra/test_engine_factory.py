"""`ENGINE:MODEL` + options -> engine; unknown engines and options fail loudly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from infra.engine_factory import KNOWN_ENGINES, build_engine
from processors.llm.options import EngineOptions
from processors.llm.protocol import Engine, EngineError, EngineSpec
from processors.llm.rules_engine import RulesEngine
from ray_jobs.engines.openai_engine import OpenAIEngine
from tests.processors.llm.sample_tasks import lookup


def test_rules() -> None:
    engine = build_engine(EngineSpec.parse("rules:lily-rules-1"), task_lookup=lookup)
    assert isinstance(engine, RulesEngine) and isinstance(engine, Engine)
    assert (engine.name, engine.model) == ("rules", "lily-rules-1")


def test_openai_options_merge_spec_then_call() -> None:
    spec = EngineSpec(engine="openai", model="qwen", options={"base_url": "http://a/v1", "timeout_s": 5})
    engine = build_engine(spec, {"timeout_s": 9, "concurrency": 2}, task_lookup=lookup)
    try:
        assert isinstance(engine, OpenAIEngine)
        assert (engine.options.base_url, engine.options.timeout_s, engine.options.concurrency) == (
            "http://a/v1",
            9,
            2,
        )
    finally:
        engine.close()


def test_unknown_engine_lists_known_ones() -> None:
    with pytest.raises(ValueError, match="known engines: rules, openai, transformers, vllm"):
        build_engine(EngineSpec.parse("gpt:x"), task_lookup=lookup)
    assert KNOWN_ENGINES == ("rules", "openai", "transformers", "vllm")


def test_unknown_option_is_rejected() -> None:
    with pytest.raises(ValidationError, match="base_urll"):
        build_engine(EngineSpec.parse("openai:m"), {"base_urll": "http://x"}, task_lookup=lookup)


def test_transformers_without_its_packages_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xgrammar", None)  # makes `import xgrammar` fail
    with pytest.raises(EngineError, match=r"pip install 'turing\[transformers\]'"):
        build_engine(EngineSpec.parse("transformers:/nowhere"), task_lookup=lookup)


def test_transformers_needs_a_directory(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="not a local model directory"):
        build_engine(EngineSpec(engine="transformers", model=str(tmp_path / "none")), task_lookup=lookup)


def test_vllm_without_vllm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vllm", None)  # absent, even on a GPU machine that has it
    with pytest.raises(EngineError, match=r"vLLM is not installed.*turing\[vllm\]"):
        build_engine(EngineSpec.parse("vllm:Qwen/Qwen3-8B"), task_lookup=lookup)


def test_pool_without_ray_running_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import ray

    monkeypatch.setattr(ray, "is_initialized", lambda: False)  # whatever other tests left running
    with pytest.raises(EngineError, match="needs a running Ray"):
        build_engine(EngineSpec.parse("rules:r1"), {"pool": 2}, task_lookup=lookup)


def test_engine_options_from_a_settings_table() -> None:
    options = EngineOptions.model_validate(
        {
            "openai": {"base_url": "http://vllm:8000/v1", "schema_mode": "response_format"},
            "rules": {"pool": 2},
        }
    )
    assert options.for_engine("openai") == {
        "base_url": "http://vllm:8000/v1",
        "schema_mode": "response_format",
    }
    assert options.for_engine("rules") == {"pool": 2}
    assert options.for_engine("vllm") == {}
    with pytest.raises(ValidationError):
        EngineOptions.model_validate({"openai": {"schema_mode": "guided_json"}})
