"""`python -m infra.bench_pipeline`: the posting pipeline's throughput and memory.

Measured in one run, on the same synthetic postings:
- the handlers called in-process (the executor with the rules engines, no broker): the
  reference;
- the same postings end to end through Kafka: ingest, the pipeline worker (orchestration,
  pipeline, its projector) until every run is completed in the projection;
- the ratio of the two, Lily's rules engine alone (requirement lines/s), decision events/s,
  and peak memory of this process and of the worker.
Progress goes to stderr; the figures are one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from infra.bench_data import generate
from infra.context import Context
from infra.engines import engine_cache
from infra.stack import down, start_worker, up
from infra.usecases.ingest_postings import ingest_postings
from processors.intake.changes import plan
from processors.intake.records import read_records
from processors.lily.rules import decompose
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import command_for_posting
from processors.pipeline.executor import execute
from processors.pipeline.work import PostingState, RunInput
from processors.taxonomy import store
from projections import db
from schemas.models import PostingEvent, Producer, now_utc

console = Console(stderr=True)
MIB = 1024 * 1024


def say(msg: str) -> None:
    console.log(f"[dim]{msg}[/]")


def inputs_for(data: bytes) -> list[RunInput]:
    result = plan(read_records("bench.jsonl", data), {}, Producer(component="bench", version="1"), now_utc())
    out = []
    for e in result.events:
        if isinstance(e, PostingEvent) and e.content is not None:
            cmd = command_for_posting(e)
            assert cmd is not None
            state = PostingState(e.posting_id, str(e.meta.event_id), e.content, "open", e.meta.occurred_at)
            out.append(RunInput(command=cmd, posting=state, prior=None, next_version=1))
    return out


def bench_in_process(inputs: list[RunInput], config: PipelineConfig) -> tuple[dict[str, Any], list[str]]:
    engine = engine_cache(config.engine_options, store.builtin())
    t0 = time.perf_counter()
    results = []
    for start in range(0, len(inputs), config.batch_size):
        # The worker's batches: one executor call per batch of commands.
        results += execute(inputs[start : start + config.batch_size], config, engine, tasks=engine.tasks)
    seconds = time.perf_counter() - t0
    engine.close()
    decisions = sum(len(r.work.decisions) for r in results)
    lines = [t for r in results for t in r.work.requirements]
    return {
        "postings": len(inputs),
        "completed": sum(r.status == "completed" for r in results),
        "seconds": round(seconds, 3),
        "postings_per_s": round(len(inputs) / seconds, 1),
        "decisions": decisions,
        "decisions_per_s": round(decisions / seconds, 1),
    }, lines


def bench_lily(lines: list[str]) -> dict[str, Any]:
    taxonomy = store.builtin()  # the figures are the built-in taxonomy's, whatever is configured
    t0 = time.perf_counter()
    for line in lines:
        decompose(line, taxonomy)
    seconds = time.perf_counter() - t0
    return {"lines": len(lines), "seconds": round(seconds, 3), "lines_per_s": round(len(lines) / seconds, 1)}


def _counts(dsn: str) -> dict[str, Any]:
    with db.connect(dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE status IN ('completed', 'failed')) AS finished, "
            "min(started_at) AS first, max(finished_at) AS last, "
            "(SELECT count(*) FROM proj.decisions) AS decisions FROM proj.runs"
        ).fetchone()
    return dict(row or {})


def _peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


WARMUP = {
    "id": "bench-warmup",
    "source": "bench",
    "title": "Warehouse Operative",
    "company": "Bench Logistics",
    "location": "Leeds, UK",
    "description": "We are hiring a warehouse operative.\nRequirements:\n- Forklift licence required\n"
    "- 2+ years of warehouse experience\nResponsibilities:\n- Pick and pack orders",
}


def _wait_finished(dsn: str, expected: int, timeout: float) -> dict[str, Any]:
    deadline = time.perf_counter() + timeout
    counts: dict[str, Any] = {}
    while time.perf_counter() < deadline:
        counts = _counts(dsn)
        if counts["finished"] >= expected:
            return counts
        time.sleep(0.2)
    raise TimeoutError(f"only {counts.get('finished')} of {expected} runs finished in {timeout}s")


def bench_kafka(data_dir: Path, data: bytes, expected: int, timeout: float) -> dict[str, Any]:
    """The worker is started and warmed up first (one posting through), so the figure is the
    pipeline's, not the consumer group's start-up; then ingest + every run, wall time."""
    state = up(data_dir, storage="memory", log=say, worker=False)
    ctx = Context(state.endpoints(), component="bench")
    dsn = state.endpoints().dsn
    worker = start_worker(data_dir, data_dir / "logs" / "worker.log")
    try:
        t0 = time.perf_counter()
        ingest_postings(ctx, "warmup.jsonl", (json.dumps(WARMUP) + "\n").encode())
        _wait_finished(dsn, 1, timeout)
        warmup_s = time.perf_counter() - t0
        say(f"worker warm after {warmup_s:.1f}s; ingesting {expected} postings")
        before = _counts(dsn)["decisions"]
        t1 = time.perf_counter()
        ingest_postings(ctx, "bench.jsonl", data)
        ingest_s = time.perf_counter() - t1
        counts = _wait_finished(dsn, expected + 1, timeout)
        wall = time.perf_counter() - t1
        decisions = counts["decisions"] - before
        return {
            "postings": expected,
            "worker_start_and_warmup_seconds": round(warmup_s, 3),
            "ingest_seconds": round(ingest_s, 3),
            "seconds": round(wall, 3),
            "postings_per_s": round(expected / wall, 1),
            "decisions": decisions,
            "decisions_per_s": round(decisions / wall, 1),
            "worker_peak_rss_mib": _peak_rss_mib(worker),
        }
    finally:
        from infra.procs import stop

        stop(worker, timeout=20)
        ctx.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Posting pipeline throughput: through Kafka vs in-process.")
    p.add_argument("--postings", type=int, default=500, help="How many synthetic postings (default 500).")
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--timeout", type=float, default=1200.0, help="Seconds to wait for the worker's runs.")
    p.add_argument("--out", type=Path, default=None, help="Also write the JSON result here.")
    args = p.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    data = generate(args.postings, seed=args.seed)
    config = PipelineConfig()
    result: dict[str, Any] = {"parameters": {"postings": args.postings, "batch_size": config.batch_size,
                                             "engines": config.default_engine}}  # fmt: skip
    say(f"in-process: the handlers on {args.postings} postings")
    inputs = inputs_for(data)
    result["in_process"], lines = bench_in_process(inputs, config)
    result["lily_rules"] = bench_lily(lines)
    result["bench_process_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    data_dir = Path(tempfile.mkdtemp(prefix="turing-bp-"))
    try:
        result["through_kafka"] = bench_kafka(data_dir, data, len(inputs), args.timeout)
    finally:
        say("stopping the stack")
        down(data_dir, purge=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    k, i = result["through_kafka"], result["in_process"]
    if k.get("postings_per_s"):
        result["ratio_kafka_vs_in_process"] = round(k["postings_per_s"] / i["postings_per_s"], 3)
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
