"""`turing taxonomy use` then `turing reprocess` on the embedded stack: the restarted worker
reads the chosen taxonomy, Lily and map_skills decide again under it (reusing nothing made
under the other one), and switching back reuses the first taxonomy's decisions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from processors.taxonomy import store
from tests.conftest import SAMPLES
from tests.infra.test_cli import run
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs

pytestmark = pytest.mark.stack
READS_TAXONOMY = ("lily", "map_skills")


@pytest.fixture(scope="module")
def stack(module_stack) -> Iterator[tuple[Path, Context]]:  # type: ignore[no-untyped-def]
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    try:
        first = (SAMPLES / "postings.jsonl").read_bytes().splitlines(keepends=True)[0]
        ingest_postings(ctx, "postings.jsonl", first)
        yield root, ctx
    finally:
        ctx.close()


def _worker_run(root: Path, ctx: Context, expect: int, *reprocess: str) -> None:
    worker = start_worker(root, "worker-taxonomy.log")
    try:
        if reprocess:
            answer = json.loads(run("reprocess", *reprocess, "--json", data_dir=root).stdout)
            assert list(answer["runs"].values()) == ["completed"], answer
        runs = wait_runs(ctx, expect)
        assert all(r["status"] == "completed" for r in runs), [r["error"] for r in runs]
    finally:
        stop_worker(worker)


def _decisions(ctx: Context, version: int) -> list[dict[str, object]]:
    return rows(
        ctx,
        "SELECT d.event_id::text AS event_id, d.task, d.status, d.taxonomy, d.reused_decision_id "
        "FROM proj.decisions d JOIN proj.runs r ON r.run_id::text = d.run_id "
        "WHERE r.derivation_version = %s AND d.task = ANY(%s)",
        version,
        list(READS_TAXONOMY),
    )


def test_switching_taxonomies_then_reprocessing_decides_again_and_switching_back_reuses(stack) -> None:
    root, ctx = stack
    (posting,) = [r["posting_id"] for r in rows(ctx, "SELECT posting_id FROM proj.postings")]
    again = ("--step", "lily", "--posting", posting, "--reason", "taxonomy switch")
    _worker_run(root, ctx, 1)
    v1 = _decisions(ctx, 1)
    assert v1 and {d["taxonomy"] for d in v1} == {store.builtin().identity}

    shown = json.loads(run("taxonomy", "use", "esco", "--json", data_dir=root).stdout)
    assert shown["identity"] == store.esco().identity
    _worker_run(root, ctx, 2, *again)
    v2 = _decisions(ctx, 2)
    assert v2 and {(d["status"], d["taxonomy"]) for d in v2} == {("ok", store.esco().identity)}

    run("taxonomy", "use", "builtin", data_dir=root)
    _worker_run(root, ctx, 3, *again)
    v3 = _decisions(ctx, 3)
    made_under_builtin = {d["event_id"] for d in v1}
    assert {d["status"] for d in v3} == {"reused"}
    assert {d["reused_decision_id"] for d in v3} <= made_under_builtin
