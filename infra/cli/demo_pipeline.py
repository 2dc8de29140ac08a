"""The pipeline part of `turing demo`: derived postings, proof stacks, a reprocess and its diff."""

from __future__ import annotations

import time
from typing import Any

from rich.table import Table

from infra.cli.common import console, out
from infra.context import Context
from processors.pipeline.diff import diff
from processors.pipeline.events import reprocess_command, rollback_event, run_id_for
from projections import db
from projections.read import pipeline as pipeline_reads


def wait_for_pipeline(ctx: Context, timeout: float = 600.0) -> dict[str, int]:
    """Until every command in the log has a finished run (the worker runs them)."""
    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    with console.status("the pipeline worker is running the steps…") as st:
        while time.monotonic() < deadline:
            ctx.catch_up()
            with db.connect(ctx.endpoints.dsn) as conn:
                row = conn.execute(
                    "SELECT (SELECT count(*) FROM proj.audit_log WHERE topic = 'commands') AS commands, "
                    "count(*) FILTER (WHERE status = 'completed') AS completed, "
                    "count(*) FILTER (WHERE status = 'failed') AS failed, "
                    "count(*) FILTER (WHERE status = 'started') AS running FROM proj.runs"
                ).fetchone()
            counts = dict(row or {})
            st.update(
                f"runs: {counts['completed']} completed, {counts['failed']} failed of {counts['commands']}"
            )
            if counts["commands"] and counts["completed"] + counts["failed"] >= counts["commands"]:
                return counts
            time.sleep(0.5)
    raise TimeoutError(
        f"the pipeline did not finish in {timeout:.0f}s ({counts}); see the stack's logs/worker.log"
    )


def derived_table(ctx: Context, limit: int = 40) -> Table:
    with db.connect(ctx.endpoints.dsn) as conn:
        rows = conn.execute(
            "SELECT d.posting_id, p.title, d.version, d.red_flag_category, d.ihl_score, d.ghost_score, "
            "(SELECT count(DISTINCT idx) FROM proj.requirements r WHERE r.posting_id = d.posting_id "
            " AND r.version = d.version) AS reqs, "
            "(SELECT string_agg(DISTINCT r.proof_stack -> 'certification' ->> 'name', ', ') FROM proj.requirements r "
            " WHERE r.posting_id = d.posting_id AND r.version = d.version "
            " AND jsonb_typeof(r.proof_stack -> 'certification') = 'object') AS creds "
            "FROM proj.derivations_latest d JOIN proj.postings p USING (posting_id) ORDER BY d.posting_id LIMIT %s",
            (limit,),
        ).fetchall()
    table = Table("posting", "title", "v", "reqs", "credentials found by Lily", "red flags", "ghost",
                  title="derived postings (the version in force)")  # fmt: skip
    for r in rows:
        table.add_row(
            r["posting_id"], r["title"][:38], str(r["version"]), str(r["reqs"]), (r["creds"] or "")[:48],
            f"{r['red_flag_category']} {r['ihl_score']:.2f}", f"{r['ghost_score']:.0f}",
        )  # fmt: skip
    return table


def _layers(stack: dict[str, Any]) -> str:
    parts = []
    for layer in ("skill", "experience", "certification", "track_record"):
        v = stack.get(layer)
        if not isinstance(v, dict):
            continue
        if layer == "skill":
            parts.append(f"S {v['name']}" + (f" [{v['code']}]" if v.get("code") else ""))
        elif layer == "experience":
            parts.append(
                f"E {v['op']} {v['value']:g} {v['unit']}"
                + (f" ({v['qualifier']})" if v.get("qualifier") else "")
            )
        elif layer == "certification":
            parts.append(f"C {v['name']} ({v['kind']})")
        else:
            unit = f" {v['unit']}" if v.get("unit") else ""
            value = f" {v['value']:g}{unit}" if v.get("value") is not None else ""
            parts.append(f"T {v['category']}{value}" + (f" @ {v['context']}" if v.get("context") else ""))
    flags = f" ⚑ {', '.join(stack['flags'])}" if stack.get("flags") else ""
    return " · ".join(parts or ["-"]) + f"  ({stack.get('requirement_strength')}){flags}"


def proof_stack_table(ctx: Context, posting_id: str) -> Table:
    d = pipeline_reads.derivation(ctx.endpoints.dsn, posting_id, None)
    table = Table(
        "#", "requirement line", "proof stack (S · E · C · T)", title=f"Lily's proof stacks for {posting_id}"
    )
    for r in d.requirements:
        table.add_row(str(r["index"]), r["text"][:60], "\n".join(_layers(s) for s in r["proof_stacks"]))
    return table


def reprocess_all(ctx: Context, step: str, overrides: dict[str, str], reason: str) -> list[str]:
    ids = pipeline_reads.all_posting_ids(ctx.endpoints.dsn)
    commands = [
        reprocess_command(pid, start_step=step, overrides=overrides, reason=reason, requested_by="demo",
                          priority=0, producer=ctx.producer_meta)
        for pid in ids
    ]  # fmt: skip
    for c in commands:
        ctx.producer.send(c)
    ctx.producer.flush()
    return [run_id_for(c) for c in commands]


def changed_postings(ctx: Context) -> list[tuple[str, dict[str, Any]]]:
    """Postings whose version in force differs from the one before it, with the diff."""
    found = []
    for pid in pipeline_reads.all_posting_ids(ctx.endpoints.dsn):
        b = pipeline_reads.derivation(ctx.endpoints.dsn, pid, None)
        if b.version < 2:
            continue
        result = diff(pipeline_reads.derivation(ctx.endpoints.dsn, pid, b.version - 1), b)
        if result["changes"]:
            found.append((pid, result))
    return found


def print_diff(posting_id: str, result: dict[str, Any], limit: int = 6) -> None:
    out.print(
        f"[bold]turing diff posting {posting_id}[/]: v{result['from_version']} → v{result['to_version']}"
    )
    for c in result["changes"][:limit]:
        if c["field"] == "skills":
            out.print(f"  skills  + {', '.join(c['added']) or '-'}   - {', '.join(c['removed']) or '-'}")
        else:
            out.print(f"  {c['field']}: {c['from']} → {c['to']}")
    if len(result["changes"]) > limit:
        out.print(f"  … {len(result['changes']) - limit} more")


def rollback(ctx: Context, posting_id: str, version: int, reason: str) -> None:
    current = pipeline_reads.derivation(ctx.endpoints.dsn, posting_id, None)
    target = pipeline_reads.derivation(ctx.endpoints.dsn, posting_id, version)
    ctx.producer.send(rollback_event(posting_id, target, current.version, reason, ctx.producer_meta))
    ctx.producer.flush()
    ctx.catch_up()
