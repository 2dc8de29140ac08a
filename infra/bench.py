"""`python -m infra.bench`: ingest, rebuild and trace figures on a fresh embedded stack.

A benchmark, not a test: it starts its own stack in a temp data dir (always torn down),
ingests N deterministic synthetic postings through the real ingest path, rebuilds the
projection (with a raw consume and a decode-only pass of the same topics as references),
and times `trace_posting` (and trace + verify). Progress goes to stderr; the figures are
one JSON object on stdout. Nothing is subtracted: each figure is wall time as measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from infra.bench_data import generate
from infra.context import Context
from infra.procs import alive
from infra.stack import down, up
from infra.stack_state import StackState
from processors.intake.changes import plan
from processors.intake.records import read_records
from projections.columns import TRACEABLE_FIELDS
from projections.lineage import TraceError, trace_posting, verify
from projections.read import postings as queries
from projections.write.projector import Projector
from projections.write.rebuild import rebuild
from schemas.models import model_for, now_utc
from streams.producer import targets_of
from streams.quirks import IDLE_DRAIN_S
from streams.reader import drain

console = Console(stderr=True)
MIB = 1024 * 1024
TP = tuple[str, int]


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextmanager
def phase(name: str, memory: dict[str, dict[str, float]]) -> Iterator[None]:
    """Record one phase's Python peak (tracemalloc) and process high-water RSS growth."""
    tracing = tracemalloc.is_tracing()
    if tracing:
        tracemalloc.reset_peak()
    at_start = tracemalloc.get_traced_memory()[0] if tracing else 0
    rss0 = _maxrss_mib()
    try:
        yield
    finally:
        rss1 = _maxrss_mib()
        entry = {"maxrss_at_end_mib": round(rss1, 1), "maxrss_growth_mib": round(rss1 - rss0, 1)}
        if tracing:
            peak = tracemalloc.get_traced_memory()[1]
            entry |= {
                "tracemalloc_peak_mib": round(peak / MIB, 1),
                "tracemalloc_at_start_mib": round(at_start / MIB, 1),
                "tracemalloc_peak_above_start_mib": round((peak - at_start) / MIB, 1),
            }
        memory[name] = entry


def rate(events: int, seconds: float) -> dict[str, Any]:
    return {
        "events": events,
        "seconds": round(seconds, 3),
        "events_per_s": round(events / seconds, 1) if seconds > 0 else None,
    }


def percentiles(ms: list[float]) -> dict[str, Any]:
    if not ms:
        return {"samples": 0}
    s = sorted(ms)

    def rank(q: float) -> float:  # nearest-rank
        return round(s[min(len(s), max(1, math.ceil(q * len(s)))) - 1], 2)

    return {
        "samples": len(s),
        "p50_ms": rank(0.50),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "min_ms": round(s[0], 2),
        "max_ms": round(s[-1], 2),
        "mean_ms": round(sum(s) / len(s), 2),
    }


def bench_ingest(ctx: Context, data: bytes, progress: Progress) -> tuple[dict[str, Any], list[str]]:
    task = progress.add_task("ingest: catching up", total=None)
    t0 = time.perf_counter()
    ctx.catch_up()
    known = queries.known_postings(ctx.endpoints.dsn)
    t_known = time.perf_counter()
    progress.update(task, description="ingest: read/validate/plan")
    result = plan(
        read_records("bench.jsonl", data), known, ctx.producer_meta, now_utc(), source_file="bench.jsonl"
    )
    t_plan = time.perf_counter()
    progress.update(task, description="ingest: emitting", total=len(result.events), completed=0)
    for i, event in enumerate(result.events, start=1):
        ctx.producer.send(event)
        if i % 256 == 0:
            progress.update(task, completed=i)
    deliveries = ctx.producer.flush()
    t_emit = time.perf_counter()
    progress.update(task, description="ingest: projecting (catch-up)", completed=len(result.events))
    stats = ctx.catch_up(targets_of(deliveries))
    t_end = time.perf_counter()
    progress.update(task, description="ingest: done")
    n = len(result.events)
    report = {
        "input_mib": round(len(data) / MIB, 2),
        "plan_summary": result.summary(),
        "breakdown_s": {
            "catch_up_before_and_known_state": round(t_known - t0, 3),
            "read_validate_plan": round(t_plan - t_known, 3),
            "emit_send_flush": round(t_emit - t_plan, 3),
            "project_catch_up": round(t_end - t_emit, 3),
        },
        "emit_only": rate(n, t_emit - t_plan),
        "end_to_end": rate(n, t_end - t0),
        "projected_events": stats.events,
        "dead_lettered": stats.dead_lettered,
    }
    return report, [e.posting_id for e in result.events]


def bench_rebuild(ctx: Context, progress: Progress, memory: dict[str, dict[str, float]]) -> dict[str, Any]:
    dsn, bootstrap = ctx.endpoints.dsn, ctx.endpoints.bootstrap_servers
    live = Projector(dsn, ctx.log_reader, ctx.codec)
    with live.connect() as conn:
        stored = live.stored_offsets(conn)
        starts = {tp: 0 for tp in live.starts(conn)}  # the same starts a fresh replay uses
    targets = {tp: off - 1 for tp, off in stored.items()}
    total = sum(stored.values())

    task = progress.add_task("rebuild", total=total)
    last_batch = [0.0]

    def on_batch(stats: Any) -> None:
        last_batch[0] = time.perf_counter()
        progress.update(task, completed=stats.events)

    with phase("rebuild", memory):
        t0 = time.perf_counter()
        report = rebuild(dsn, ctx.log_reader, ctx.codec, dead_letters=ctx.producer, on_batch=on_batch)
        t_call = time.perf_counter() - t0
    out: dict[str, Any] = {
        "rebuild": {
            **report.as_dict(),
            "call_seconds_incl_checksum_and_swap": round(t_call, 3),
            "call_start_to_last_batch_s": round(last_batch[0] - t0, 3),
        },
    }

    task = progress.add_task("raw consume", total=total)
    with phase("raw_consume", memory):
        count = nbytes = 0
        t0 = t_last = time.perf_counter()
        for batch in drain(bootstrap, starts, targets, client_id="turing-bench-raw"):
            count += len(batch)
            nbytes += sum(len(r.value or b"") + len(r.key or b"") for r in batch)
            t_last = time.perf_counter()
            progress.update(task, completed=count)
        seconds = time.perf_counter() - t0
    out["raw_consume"] = {
        **rate(count, seconds),
        "mib": round(nbytes / MIB, 2),
        "mib_per_s": round(nbytes / MIB / seconds, 2),
        "seconds_to_last_record": round(t_last - t0, 3),
    }

    task = progress.add_task("decode only", total=total)
    with phase("decode", memory):
        decode_s = validate_s = 0.0
        decoded = 0
        for batch in drain(bootstrap, starts, targets, client_id="turing-bench-decode"):
            t = time.perf_counter()
            records = [ctx.codec.decode_record(r.topic, r.value) for r in batch if r.value is not None]
            t_dec = time.perf_counter()
            for r, (_, rec) in zip((r for r in batch if r.value is not None), records, strict=True):
                model_for(r.topic).model_validate(rec)
            validate_s += time.perf_counter() - t_dec
            decode_s += t_dec - t
            decoded += len(records)
            progress.update(task, completed=decoded)
    out["decode_only"] = rate(decoded, decode_s)
    out["decode_plus_model_validate"] = rate(decoded, decode_s + validate_s)

    raw_rate = out["raw_consume"]["events_per_s"]
    out["rebuild_events_per_s"] = report.events_per_s
    out["raw_consume_events_per_s"] = raw_rate
    out["rebuild_vs_raw_consume"] = round(report.events_per_s / raw_rate, 4) if raw_rate else None
    return out


def bench_trace(
    ctx: Context,
    ids: list[str],
    samples: int,
    verify_samples: int,
    seed: int,
    progress: Progress,
    memory: dict[str, dict[str, float]],
) -> dict[str, Any]:
    rng = random.Random(seed)
    dsn = ctx.endpoints.dsn

    def run(name: str, n: int, with_verify: bool) -> dict[str, Any]:
        task = progress.add_task(name, total=n)
        ms: list[float] = []
        errors = verified = 0
        with phase(name, memory):
            for _ in range(n):
                pid, field = rng.choice(ids), rng.choice(TRACEABLE_FIELDS)
                t = time.perf_counter()
                try:
                    trace = trace_posting(dsn, pid, field)
                    if with_verify:
                        verified += bool(verify(trace, ctx.log_reader, ctx.codec)["verified"])
                except TraceError:
                    errors += 1
                    continue
                finally:
                    progress.advance(task)
                ms.append((time.perf_counter() - t) * 1000)
        extra = {"verified": verified} if with_verify else {}
        return {**percentiles(ms), "trace_errors": errors, **extra}

    return {"trace": run("trace", samples, False), "trace_verify": run("trace_verify", verify_samples, True)}


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        if cpuinfo.exists()
        else []
    )
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": models[0] if models else platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m infra.bench", description=__doc__.split("\n")[0])
    p.add_argument("--postings", type=int, default=20000, help="How many synthetic postings (default 20000).")
    p.add_argument("--storage", choices=["memory", "s3"], default="memory", help="Broker storage.")
    p.add_argument("--trace-samples", type=int, default=200, help="trace_posting samples (default 200).")
    p.add_argument("--verify-samples", type=int, default=50, help="trace + verify samples (default 50).")
    p.add_argument("--seed", type=int, default=20260101, help="Seed for data and sampling.")
    p.add_argument(
        "--tracemalloc",
        action="store_true",
        help="Also trace Python allocations per phase (about 3x slower: use for memory, not for speed).",
    )
    p.add_argument("--out", type=Path, default=None, help="Also write the JSON result here.")
    return p.parse_args(argv)


def run_phases(state: StackState, data: bytes, args: argparse.Namespace, out: dict[str, Any]) -> None:
    memory: dict[str, dict[str, float]] = out["memory"]
    ctx = Context(state.endpoints(), component="intake")
    cols = (SpinnerColumn(), TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn())
    try:
        with Progress(*cols, TimeElapsedColumn(), console=console) as progress:
            with phase("ingest", memory):
                out["ingest"], ids = bench_ingest(ctx, data, progress)
            out |= bench_rebuild(ctx, progress, memory)
            verify_n = min(args.verify_samples, len(ids))
            trace = bench_trace(ctx, ids, args.trace_samples, verify_n, args.seed + 1, progress, memory)
            out |= trace
    finally:
        ctx.close()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.tracemalloc:
        tracemalloc.start()
    params = {k: getattr(args, k) for k in ("postings", "storage", "trace_samples", "verify_samples", "seed")}
    result: dict[str, Any] = {
        "parameters": {**params, "tracemalloc": args.tracemalloc, "drain_idle_s": IDLE_DRAIN_S},
        "machine": machine(),
        "memory": {},
    }
    data_dir = Path(tempfile.mkdtemp(prefix="turing-bench-"))
    # SIGTERM must still run the teardown below, or the stack would outlive the benchmark.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    pids: dict[str, int | None] = {}
    try:
        with phase("generate", result["memory"]):
            t0 = time.perf_counter()
            data = generate(args.postings, seed=args.seed)
            result["generate_seconds"] = round(time.perf_counter() - t0, 3)
        say(f"generated {args.postings} postings ({len(data) / MIB:.1f} MiB); stack in {data_dir}")
        t0 = time.perf_counter()
        state = up(data_dir, storage=args.storage, log=say, worker=False)
        pids = state.component_pids()
        result["stack_up_seconds"] = round(time.perf_counter() - t0, 3)
        run_phases(state, data, args, result)
    finally:
        gc.collect()  # release the producer's broker connections before the broker goes
        say("stopping the stack")
        down(data_dir, purge=True)
        shutil.rmtree(data_dir, ignore_errors=True)
        left = {name: pid for name, pid in pids.items() if alive(pid)}
        if left:
            console.print(f"[red]still running after teardown: {left}[/]")
    result["total_seconds"] = round(time.perf_counter() - started, 3)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return 0


def say(msg: str) -> None:
    console.log(f"[dim]{msg}[/]")


if __name__ == "__main__":
    sys.exit(main())
