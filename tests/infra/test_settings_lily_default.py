"""The product's Lily is hybrid-1: what the settings give when nothing names another engine."""

from __future__ import annotations

import pytest

from infra.settings import Settings
from processors.pipeline.config import DEFAULT_LILY_ENGINE, PipelineConfig


@pytest.fixture(autouse=True)
def _no_test_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests/conftest.py pins the stack tests' workers to rules-1 through this variable
    monkeypatch.delenv("TURING_PIPELINE", raising=False)
    monkeypatch.delenv("TURING_CONFIG", raising=False)


def test_lily_runs_hybrid_1_and_the_other_tasks_rules_1_by_default() -> None:
    chosen = Settings().pipeline.effective({})
    assert chosen["lily"] == DEFAULT_LILY_ENGINE == "rules:hybrid-1"
    assert {spec for task, spec in chosen.items() if task != "lily"} == {"rules:rules-1"}


def test_a_named_lily_engine_or_a_default_for_every_task_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURING_PIPELINE", '{"engines": {"lily": "rules:rules-1"}}')
    assert Settings.load().pipeline.effective({})["lily"] == "rules:rules-1"
    monkeypatch.setenv("TURING_PIPELINE", '{"default_engine": "openai:qwen"}')
    assert set(Settings.load().pipeline.effective({}).values()) == {"openai:qwen"}
    monkeypatch.setenv("TURING_PIPELINE", '{"retries": 2}')
    assert Settings.load().pipeline.effective({})["lily"] == "rules:hybrid-1"


def test_a_command_override_still_wins_and_code_built_configs_keep_their_engine() -> None:
    assert Settings().pipeline.effective({"lily": "rules:rules-broad"})["lily"] == "rules:rules-broad"
    assert PipelineConfig().effective({})["lily"] == "rules:rules-1"
