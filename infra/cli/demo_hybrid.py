"""The replay part of `turing demo`: Lily again with `hybrid-1` (ESCO skills from the linker),
the derivation diff, how one profile's matches moved, and a requirement traced to the Lily
decision that names the linker and the taxonomy version."""

from __future__ import annotations

import time
from typing import Any

from rich.table import Table

from infra.cli import demo_pipeline as dp
from infra.cli.common import console, out
from infra.cli.projection_cmds import trace_tree
from infra.context import Context
from projections import db, lineage
from projections.read import pipeline as pipeline_reads

REASON = "ESCO skills from the linker (hybrid-1)"


def _fits(ctx: Context) -> dict[tuple[str, str], tuple[float, str]]:
    with db.connect(ctx.endpoints.dsn) as conn:
        rows = conn.execute(
            "SELECT profile_id, posting_id, fit_total, derivation_event_id FROM proj.matches WHERE NOT blocked"
        ).fetchall()
    return {
        (r["profile_id"], r["posting_id"]): (float(r["fit_total"]), str(r["derivation_event_id"]))
        for r in rows
    }


def _wait_for_rescoring(
    ctx: Context, before: dict[tuple[str, str], tuple[float, str]], timeout: float = 180.0
) -> None:
    """Until the matcher has rescored against the new derivations (no change for 3 s)."""
    deadline = time.monotonic() + timeout
    last: dict[tuple[str, str], tuple[float, str]] = {}
    steady = time.monotonic()
    with console.status("the matcher is rescoring against the new derivations…"):
        while time.monotonic() < deadline:
            ctx.catch_up()
            now = _fits(ctx)
            if now != last:
                last, steady = now, time.monotonic()
            elif now != before and time.monotonic() - steady >= 3:
                return
            time.sleep(0.5)


def _skill_field(ctx: Context, posting_id: str) -> str | None:
    d = pipeline_reads.derivation(ctx.endpoints.dsn, posting_id, None)
    for r in d.requirements:
        for s in r["proof_stacks"]:
            if isinstance(s.get("skill"), dict) and s["skill"].get("uri"):
                return f"requirements[{r['index']}].skill"
    return None


def _moved_table(
    profile_id: str, before: dict[Any, tuple[float, str]], after: dict[Any, tuple[float, str]]
) -> Table:
    table = Table("posting", "fit before", "fit after", "change", title=f"how {profile_id}'s matches moved")
    moved = []
    for key in sorted(set(before) | set(after)):
        if key[0] != profile_id:
            continue
        a, b = before.get(key, (None, ""))[0], after.get(key, (None, ""))[0]
        delta = (b or 0.0) - (a or 0.0)
        moved.append((abs(delta), key[1], a, b, delta))
    for _, posting_id, a, b, delta in sorted(moved, reverse=True)[:6]:
        table.add_row(posting_id, _shown(a), _shown(b), f"{delta:+.1f}")
    return table


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def walkthrough(ctx: Context, profile_id: str) -> bool:
    """Replays Lily with hybrid-1 for every posting; True when the traced requirement verifies."""
    before = _fits(ctx)
    out.print(f"turing reprocess --step lily --model lily=rules:hybrid-1 --all --reason '{REASON}'")
    run_ids = dp.reprocess_all(ctx, "lily", {"lily": "rules:hybrid-1"}, REASON)
    counts = dp.wait_for_pipeline(ctx)
    changed = dp.changed_postings(ctx)
    out.print(
        f"{len(run_ids)} runs from step lily ({counts['failed']} failed in all); "
        f"{len(changed)} postings read differently with ESCO skills"
    )
    for pid, change in changed[:2]:
        dp.print_diff(pid, change)
    _wait_for_rescoring(ctx, before)
    after = _fits(ctx)
    out.print(_moved_table(profile_id, before, after))
    traced = next(((pid, f) for pid, _ in changed if (f := _skill_field(ctx, pid)) is not None), None)
    if traced is None:
        out.print("[yellow]no requirement carries an ESCO skill to trace[/]")
        return False
    pid, field = traced
    out.print(
        f"[bold]turing trace posting {pid} {field} --verify[/] (the decision names the linker and taxonomy)"
    )
    trace = lineage.verify(lineage.trace_posting(ctx.endpoints.dsn, pid, field), ctx.log_reader, ctx.codec)
    out.print(trace_tree(trace))
    return bool(trace["verified"])
