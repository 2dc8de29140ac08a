"""`turing qa sample | findings | review | remediate`: QA sampling on six dimensions (seed 004),
a person's review of each finding, and a reprocess command from the step that produced it."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import (
    DataDir,
    JsonFlag,
    caught_up_read,
    console,
    friendly,
    one_of,
    open_context,
    out,
    positive,
    print_json,
)
from infra.context import Context
from infra.usecases.reprocess import wait_for_runs
from processors.pipeline.events import run_id_for
from processors.quality.qa_events import REVIEW_VERDICTS, finding_event, remediation, review_event
from processors.quality.sampling import TARGETS, sample
from projections import db
from projections.read import quality as quality_reads
from schemas.errors import BadInput, NotFound

qa_app = typer.Typer(help="QA sampling: findings on six dimensions, reviewed, remediated by reprocessing.",
                     no_args_is_help=True)  # fmt: skip
STATUSES = ("open", "ok", "issue", "remediated")


def _where(values: list[str]) -> list[str]:
    try:
        quality_reads.parse_where(values)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return values


def _status(value: str | None) -> str | None:
    return None if value is None else one_of(STATUSES)(value)


def _finding(ctx: Context, finding_id: str) -> tuple[Any, dict[str, Any]]:
    with db.connect(ctx.endpoints.dsn) as conn:
        found = quality_reads.finding(conn, ctx.schema, finding_id)
    if found is None:
        raise NotFound(f"no QA finding {finding_id!r} — see `turing qa findings`")
    return found


def draw(ctx: Context, target: str, per_dimension: int, where: list[str], seed: int) -> list[dict[str, Any]]:
    """Sample, emit the findings not already recorded, and return every finding drawn (projected)."""
    ctx.catch_up()
    with db.connect(ctx.endpoints.dsn) as conn:
        items = quality_reads.qa_items(conn, ctx.schema, target, quality_reads.parse_where(where))
        found = sample(target, items, per_dimension, seed)
        logged = quality_reads.logged(conn, ctx.schema, [f.finding_id for f in found])
    for f in found:
        if f.finding_id not in logged:
            ctx.producer.send(finding_event(f, ctx.producer_meta))
    ctx.producer.flush()
    ctx.catch_up()
    with db.connect(ctx.endpoints.dsn) as conn:
        rows = {str(r["finding_id"]): r for r in quality_reads.findings(conn, ctx.schema, None, 100_000)}
    return [rows[f.finding_id] for f in found if f.finding_id in rows]


def _table(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title)
    for col in ("id", "target", "dimension", "severity", "status", "posting", "value", "note"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["short_id"], r["target"], r["dimension"], r["severity"], r["status"],
                      escape(r["posting_id"]), f"{r['value']:g}", escape(r["note"][:80]))  # fmt: skip
    out.print(table)


@qa_app.command("sample")
@friendly
def sample_(
    target: str = typer.Option(
        ..., "--target", callback=one_of(TARGETS), help="summary, requirements, lily or match."
    ),
    per_dimension: int = typer.Option(
        ..., "--per-dimension", min=1, max=1000, help="Findings per dimension."
    ),
    where: list[str] = typer.Option(
        [],
        "--where",
        callback=_where,
        help="COLUMN=VALUE or COLUMN!=VALUE on posting_id, engine, model, profile_id.",
    ),
    seed: int = typer.Option(0, "--seed", min=0, max=2**31 - 1, help="Seed of the random dimension."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Draw findings on six dimensions: longest, shortest, slowest, fastest, most similar, random."""
    with open_context(data_dir) as ctx:
        rows = draw(ctx, target, per_dimension, where, seed)
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print(f"nothing to sample: no {target} outputs match")
        return
    _table(rows, f"QA findings drawn ({len(rows)})")


@qa_app.command("findings")
@friendly
def findings(
    status: str | None = typer.Option(
        None, "--status", callback=_status, help="open, ok, issue or remediated."
    ),
    limit: int = typer.Option(1000, "--limit", min=1, max=100_000, help="At most this many, oldest first."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """The QA findings recorded so far, with their review status."""
    rows = caught_up_read(data_dir, lambda conn, schema: quality_reads.findings(conn, schema, status, limit))
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("no QA findings" + (f" with status {status}" if status else ""))
        return
    _table(rows, f"QA findings ({len(rows)})")


@qa_app.command("review")
@friendly
def review(
    finding_id: str = typer.Argument(..., help="The finding's id (the 8-digit short id, with or without #)."),
    verdict: str = typer.Option(..., "--verdict", callback=one_of(REVIEW_VERDICTS), help="ok or issue."),
    note: str = typer.Option(..., "--note", help="What the reviewer saw."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Record a person's verdict on a finding."""
    if not note.strip():
        raise BadInput("--note must say what was seen")
    with open_context(data_dir, caught_up=True) as ctx:
        finding, row = _finding(ctx, finding_id)
        ctx.producer.send(review_event(finding, str(row["finding_id"]), verdict, note, getpass.getuser(),
                                       ctx.producer_meta))  # fmt: skip
        ctx.producer.flush()
        ctx.catch_up()
        _, row = _finding(ctx, finding_id)
    if as_json:
        print_json(row)
        return
    out.print(f"finding #{row['short_id']}: {row['status']} — {escape(row['review_note'] or '')}")


def wait_run(ctx: Context, run_id: str, timeout: float) -> str:
    """The run's final status (see `wait_for_runs`), saying so when no worker seems to run."""
    quiet = "[yellow]the run has not started yet: is a worker running? (`turing status`)[/]"
    return wait_for_runs(ctx, [run_id], timeout, on_quiet=lambda: console.print(quiet))[run_id]


@qa_app.command("remediate")
@friendly
def remediate(
    finding_id: str = typer.Argument(..., help="The finding's id (the 8-digit short id, with or without #)."),
    no_wait: bool = typer.Option(False, "--no-wait", help="Emit the command and return."),
    timeout: float = typer.Option(900.0, "--timeout", callback=positive, help="Seconds to wait for the run."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Reprocess the sampled posting from the step that produced the output, with the reason
    `QA finding #ID` (shown by `turing runs` and in the new derivation's trace)."""
    with open_context(data_dir, caught_up=True) as ctx:
        finding, row = _finding(ctx, finding_id)
        try:
            command, record = remediation(
                finding, str(row["finding_id"]), getpass.getuser(), ctx.producer_meta
            )
        except ValueError as exc:
            raise LookupError(str(exc)) from None
        ctx.producer.send(record)
        ctx.producer.send(command)
        ctx.producer.flush()
        answer: dict[str, Any] = {"finding": row["short_id"], "command_event_id": str(command.meta.event_id),
                                  "run_id": run_id_for(command), "step": command.start_step, "reason": command.reason}  # fmt: skip
        if not no_wait:
            answer["status"] = wait_run(ctx, answer["run_id"], timeout)
    if as_json:
        print_json(answer)
        return
    out.print(f"finding #{answer['finding']}: reprocess from {answer['step']} as run {answer['run_id']} "
              f"({answer.get('status', 'queued')}) — reason {escape(answer['reason'])!r}")  # fmt: skip
