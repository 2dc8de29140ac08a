"""On the real log and projection: a run whose step failed leaves the posting's derivation in
force untouched (item 5), and a posting with no requirement lines gets a derivation (item 6).

The pipeline service is driven in-process; the command with an unknown engine is produced the
way an older producer would, past the CLI's check."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from infra.context import Context
from infra.engines import engine_cache
from infra.service_ports import pipeline_ports
from infra.usecases.ingest_postings import ingest_postings
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import command_for_posting, reprocess_command, run_id_for
from processors.services.pipeline import PipelineService
from processors.taxonomy import store
from schemas.models import CommandEvent, PostingEvent
from streams.event_sink import KafkaEventSink
from streams.producer import EventProducer
from tests.streams.pipeline_helpers import CatchUpBarrier

pytestmark = pytest.mark.stack

PLAIN = {"source": "tests", "title": "Barista", "company": "Acme", "location": "Lisbon"}


def _rows(ctx: Context, query: str, *args: Any) -> list[dict[str, Any]]:
    with psycopg.connect(ctx.endpoints.dsn, row_factory=dict_row) as conn:
        return list(conn.execute(query, args))


def _service(ctx: Context) -> PipelineService:
    producer = EventProducer(ctx.endpoints.bootstrap_servers, ctx.codec, client_id="tests-pipeline")
    return PipelineService(
        pipeline_ports(ctx, KafkaEventSink(producer), CatchUpBarrier(ctx)),
        PipelineConfig(),
        engines=engine_cache(None, store.builtin()),
    )


def _commands(plan_events: list[Any]) -> list[CommandEvent]:
    return [c for e in plan_events if isinstance(e, PostingEvent) and (c := command_for_posting(e))]


def test_a_failed_step_keeps_the_version_in_force_and_no_requirements_still_derive(ctx: Context) -> None:
    lines = [
        {
            "id": "with-reqs",
            **PLAIN,
            "description": "Requirements:\n- 2+ years of espresso preparation\n- Python",
        },
        {"id": "no-reqs", **PLAIN, "description": "Acme is a friendly cafe. We like coffee and long walks."},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    plan = ingest_postings(ctx, "p.jsonl", data)
    assert plan.summary()["new"] == 2
    service = _service(ctx)
    first = service.handle_commands(_commands(plan.events))
    ctx.catch_up()
    assert [r.status for r in first] == ["completed", "completed"]
    heads = {r["posting_id"]: r["version"] for r in _rows(ctx, "SELECT * FROM proj.derivation_heads")}
    assert heads == {"with-reqs": 1, "no-reqs": 1}
    flagged = _rows(ctx, "SELECT subject_id, flags FROM proj.decisions WHERE task = 'extract_requirements'")
    assert {r["subject_id"]: r["flags"] for r in flagged} == {"with-reqs": [], "no-reqs": ["NO_REQUIREMENTS"]}

    bad = reprocess_command(
        "with-reqs", start_step="lily", overrides={"lily": "warp:drive"}, reason="poison test",
        requested_by="tests", priority=0, producer=ctx.producer_meta,
    )  # fmt: skip
    ctx.producer.send(bad)
    ctx.producer.flush()
    (result,) = service.handle_commands([bad])
    ctx.catch_up()
    assert result.status == "failed"
    (run,) = _rows(ctx, "SELECT status, failed_step, error FROM proj.runs WHERE run_id = %s", run_id_for(bad))
    assert run["status"] == "failed" and run["failed_step"] == "lily"
    assert "unknown engine 'warp'" in run["error"] and "rules, openai" in run["error"]
    (head,) = _rows(ctx, "SELECT version FROM proj.derivation_heads WHERE posting_id = 'with-reqs'")
    assert head["version"] == 1
    assert len(_rows(ctx, "SELECT 1 FROM proj.derivations WHERE posting_id = 'with-reqs'")) == 1
    assert _rows(ctx, "SELECT count(*) AS n FROM proj.rejected_records")[0]["n"] == 0
