"""The embedded stack: durable restarts, idempotent up, crash recovery, two stacks at once."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from infra import stack
from infra.context import Context
from infra.ingest import ingest_postings
from infra.procs import alive
from infra.settings import ConfigError, Settings
from projections import queries
from streams.reader import drain
from tests.conftest import SAMPLES, _short_tmp

pytestmark = pytest.mark.stack


def _postings_in_log(bootstrap: str) -> int:
    return sum(len(b) for b in drain(bootstrap, {("postings", p): 0 for p in range(3)}))


def test_durable_restart_keeps_every_event_and_runs_beside_another_stack() -> None:
    durable = _short_tmp("turing-s3-")
    other = _short_tmp("turing-mem-")
    try:
        state = stack.up(durable, storage="s3", log=lambda *_: None)
        # A second stack in another data dir, at the same time, on its own ports.
        second = stack.up(other, storage="memory", log=lambda *_: None)
        assert {state.broker_port, state.postgres_port, state.api_port}.isdisjoint(
            {second.broker_port, second.postgres_port, second.api_port}
        )
        ctx = Context(state.endpoints(), component="tests")
        try:
            ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        finally:
            ctx.close()
        assert _postings_in_log(state.endpoints().bootstrap_servers) == 36
        assert _postings_in_log(second.endpoints().bootstrap_servers) == 0
        assert stack.down(durable)
        assert not any(alive(p) for p in state.component_pids().values())
        again = stack.up(durable, storage="s3", log=lambda *_: None)
        assert again.broker_port == state.broker_port
        assert _postings_in_log(again.endpoints().bootstrap_servers) == 36
        assert queries.counts(again.endpoints().dsn)["postings"] == 36
        # After the restart the registry still resolves the ids the log's events carry.
        ctx = Context(again.endpoints(), component="tests")
        try:
            stats = ctx.catch_up()
            assert stats.dead_lettered == 0
        finally:
            ctx.close()
    finally:
        stack.down(durable)
        stack.down(other)
        shutil.rmtree(durable, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)


def test_up_is_idempotent_and_recovers_from_a_crashed_component() -> None:
    root = _short_tmp("turing-idem-")
    try:
        first = stack.up(root, storage="memory", log=lambda *_: None)
        messages: list[str] = []
        second = stack.up(root, storage="memory", log=messages.append)
        assert second.pids == first.pids and any("reusing" in m for m in messages)
        os.kill(first.pids["broker"], signal.SIGKILL)
        os.waitpid(first.pids["broker"], 0)
        status = stack.status(root)
        assert status["running"] is False
        third = stack.up(root, storage="memory", log=messages.append)
        assert any("stale" in m for m in messages)
        assert third.pids["broker"] != first.pids["broker"]
        assert stack.status(root)["running"] is True
        assert {t["name"] for t in stack.status(root)["topics"]} >= {"postings", "deadletters"}  # type: ignore[union-attr]
    finally:
        stack.down(root)
        shutil.rmtree(root, ignore_errors=True)
    assert not stack.status(Path(root))["components"]


def test_settings_point_at_external_services_or_say_what_is_missing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "turing.toml"
    config.write_text(
        'bootstrap_servers = "kafka:9092"\nregistry_url = "http://sr:8081"\ndsn = "postgresql://db/turing"\n'
    )
    monkeypatch.setenv("TURING_CONFIG", str(config))
    endpoints = Settings.load(tmp_path / "nowhere").endpoints()
    assert endpoints.bootstrap_servers == "kafka:9092" and endpoints.registry_url == "http://sr:8081"
    monkeypatch.setenv("TURING_BOOTSTRAP_SERVERS", "other:9092")
    assert Settings.load().endpoints().bootstrap_servers == "other:9092"
    monkeypatch.delenv("TURING_CONFIG")
    monkeypatch.delenv("TURING_BOOTSTRAP_SERVERS")
    with pytest.raises(ConfigError, match="turing up"):
        Settings.load(tmp_path / "nowhere").endpoints()
