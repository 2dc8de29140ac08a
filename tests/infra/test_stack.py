"""The embedded stack: durable restarts, idempotent up, crash recovery, two stacks at once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infra import stack
from infra.context import Context
from infra.procs import alive
from infra.settings import Settings
from infra.usecases.ingest_postings import ingest_postings
from projections.read import postings as queries
from schemas.errors import ConfigError
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


def _status_cli(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    code = "from infra.cli.app import main; main()"
    return subprocess.run([sys.executable, "-c", code, "status", *flags, "--data-dir", str(root)],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2],
                          env={**os.environ, "COLUMNS": "200"})  # fmt: skip


def test_status_reports_each_consumer_from_recorded_offsets_and_fails_without_the_worker() -> None:
    root = _short_tmp("turing-health-")
    try:
        state = stack.up(root, storage="memory", log=lambda *_: None)
        ctx = Context(state.endpoints(), component="tests")
        try:
            ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        finally:
            ctx.close()
        deadline = time.monotonic() + 120
        consumers: dict[str, dict[str, object]] = {}
        while time.monotonic() < deadline:
            info = stack.status(root)
            delivery = info.get("delivery") or {}
            consumers = {c["name"]: c for c in delivery.get("consumers", [])}  # type: ignore[union-attr]
            settled = all(c["lag"] == 0 for c in consumers.values())
            if info["healthy"] and consumers and consumers["pipeline"]["records"] == 36 and settled:
                break
            time.sleep(1.0)
        assert set(consumers) == {
            "orchestrator", "pipeline", "matcher", "matcher-profiles", "jury", "projector"
        }  # fmt: skip
        assert consumers["orchestrator"]["records"] == 36 and consumers["pipeline"]["records"] == 36
        assert all(
            c["lag"] == 0 and not c["stalled"] and c["dead_letters"] == 0 for c in consumers.values()
        ), consumers
        healthy = _status_cli(root, "--json")
        assert healthy.returncode == 0 and json.loads(healthy.stdout)["healthy"] is True
        table = _status_cli(root)
        assert table.returncode == 0 and "lag from recorded offsets" in table.stdout
        assert all(name in table.stdout for name in consumers)
        os.kill(state.pids["worker"], signal.SIGKILL)
        os.waitpid(state.pids["worker"], 0)
        gone = _status_cli(root, "--json")
        answer = json.loads(gone.stdout)
        assert gone.returncode != 0 and answer["running"] is False and answer["healthy"] is False
    finally:
        stack.down(root)
        shutil.rmtree(root, ignore_errors=True)
