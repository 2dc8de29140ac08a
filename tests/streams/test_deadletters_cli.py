"""`turing deadletters list|replay` on a real stack: a command the pipeline gave up on goes back."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pytest
from typer.testing import CliRunner

from infra.cli.app import app
from infra.context import Context
from processors.pipeline.events import reprocess_command
from schemas.models import CommandEvent, Producer
from streams.consumer_loop import ConsumerLoop, RetryPolicy
from streams.deadletters import read_letters
from streams.health import HealthBoard
from streams.producer import EventProducer
from streams.reader import drain

pytestmark = pytest.mark.stack
runner = CliRunner()


def _turing(root: Any, *args: str) -> Any:
    return runner.invoke(app, [*args, "--data-dir", str(root)], env={"COLUMNS": "200"})


def _dead_letter_one(ctx: Context) -> CommandEvent:
    """A consumer whose handler always fails on one command: that command is dead-lettered."""
    bootstrap = ctx.endpoints.bootstrap_servers
    poison = reprocess_command(f"cli-{uuid.uuid4().hex[:6]}", start_step="lily", overrides={}, reason="cli test",
                               requested_by="tests", priority=0, producer=Producer(component="tests", version="1"))  # fmt: skip
    ctx.producer.send(poison)
    ctx.producer.flush()

    def handler(events: list[Any]) -> None:
        if any(e.meta.event_id == poison.meta.event_id for e in events):
            raise RuntimeError("engine exploded")

    loop = ConsumerLoop("pipeline", bootstrap, f"tests-{uuid.uuid4().hex[:8]}", "commands", ctx.codec, handler,
                        CommandEvent, EventProducer(bootstrap, ctx.codec, client_id="tests-dl"), HealthBoard(None),
                        within_s=0.3, policy=RetryPolicy(2, 1, 0.01, 0.01))  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(x.key == poison.posting_id for x in read_letters(bootstrap, ctx.codec)):
            break
    stop.set()
    thread.join(timeout=30)
    return poison


def _copies_on_commands(ctx: Context, event_id: str) -> list[bytes]:
    out = []
    for batch in drain(ctx.endpoints.bootstrap_servers, {("commands", p): 0 for p in range(3)}):
        for rec in batch:
            if str(ctx.codec.decode("commands", rec.value or b"")[1].meta.event_id) == event_id:
                out.append(rec.value or b"")
    return out


def test_list_shows_the_dead_letter_and_replay_puts_the_same_bytes_back(module_stack) -> None:
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    try:
        poison = _dead_letter_one(ctx)
        listed = _turing(root, "deadletters", "list", "--json")
        assert listed.exit_code == 0, listed.output
        letters = [x for x in json.loads(listed.output) if x["key"] == poison.posting_id]
        assert len(letters) == 1
        letter = letters[0]
        assert letter["processor"] == "pipeline" and letter["attempts"] == 2 and letter["replayable"]
        assert letter["source"].startswith("commands[") and "engine exploded" in letter["error"]
        table = _turing(root, "deadletters", "list")
        assert table.exit_code == 0 and letter["id"] in table.output

        replayed = _turing(root, "deadletters", "replay", "--id", letter["id"], "--json")
        assert replayed.exit_code == 0, replayed.output
        (done,) = json.loads(replayed.output)["replayed"]
        assert done["id"] == letter["id"] and done["topic"] == "commands"
        copies = _copies_on_commands(ctx, str(poison.meta.event_id))
        assert len(copies) == 2 and copies[0] == copies[1]  # the very same bytes, once more

        everything = _turing(root, "deadletters", "replay", "--all", "--json")
        assert everything.exit_code == 0 and letter["id"] in {
            d["id"] for d in json.loads(everything.output)["replayed"]
        }
    finally:
        ctx.close()


def test_replay_refuses_unclear_or_unknown_requests(module_stack) -> None:
    root, _ = module_stack
    both = _turing(root, "deadletters", "replay", "--all", "--id", "x")
    assert both.exit_code == 2 and "--id" in both.output
    neither = _turing(root, "deadletters", "replay")
    assert neither.exit_code == 2
    unknown = _turing(root, "deadletters", "replay", "--id", str(uuid.uuid4()))
    assert unknown.exit_code == 1 and "no dead letter" in unknown.output
