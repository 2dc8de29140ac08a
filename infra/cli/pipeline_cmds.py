"""`turing reprocess`, `turing runs`, `turing diff`, `turing rollback`, `turing worker`."""

from __future__ import annotations

import dataclasses
import getpass
import re
from pathlib import Path
from typing import Literal

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra.cli.common import (
    DataDir,
    JsonFlag,
    console,
    friendly,
    open_context,
    out,
    positive,
    print_json,
    stack_settings,
)
from infra.context import Context
from infra.usecases import reprocess as reprocessing
from infra.usecases import rollback as rollbacks
from infra.usecases.compare import compare_versions
from processors.pipeline.steps import STEPS, check_step
from projections.read import pipeline as pipeline_reads

INT32 = 2**31 - 1  # runs.priority is a Postgres integer

diff_app = typer.Typer(help="Compare derivation versions.", no_args_is_help=True)
rollback_app = typer.Typer(help="Put an earlier derivation version back in force.", no_args_is_help=True)


def _step(value: str) -> str:
    try:
        return check_step(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _where(values: list[str]) -> list[str]:
    # The same grammar the query applies, checked before any service is contacted.
    for value in values:
        for part in value.split(","):
            m = re.match(r"^\s*([a-z_]+)\s*(=|~|!=)\s*(.+?)\s*$", part)
            if m is None or m.group(1) not in pipeline_reads.FILTER_COLUMNS:
                raise typer.BadParameter(
                    f"{part!r}: expected COLUMN=VALUE, COLUMN!=VALUE or COLUMN~TEXT with COLUMN one of "
                    + ", ".join(pipeline_reads.FILTER_COLUMNS)
                )
    return values


@friendly
def reprocess(
    step: str = typer.Option(
        ...,
        "--step",
        callback=_step,
        help="Start step: "
        + ", ".join(s for s in STEPS if s != "complete_run")
        + "; earlier steps reuse the version in force.",
    ),
    model: list[str] = typer.Option([], "--model", help="STEP=ENGINE:MODEL, e.g. lily=rules:rules-broad."),
    posting: list[str] = typer.Option([], "--posting", help="A posting id (repeatable)."),
    where: list[str] = typer.Option(
        [], "--where", callback=_where, help="COLUMN=VALUE, COLUMN!=VALUE or COLUMN~TEXT (repeatable, ANDed)."
    ),
    all_: bool = typer.Option(False, "--all", help="Every open posting."),
    reason: str = typer.Option(..., "--reason", help="Why: recorded on every run and derivation."),
    priority: int = typer.Option(
        0,
        "--priority",
        min=-INT32 - 1,
        max=INT32,
        help="Higher runs first within a batch (a 32-bit integer).",
    ),
    no_wait: bool = typer.Option(False, "--no-wait", help="Emit the commands and return."),
    timeout: float = typer.Option(
        900.0, "--timeout", callback=positive, help="Seconds to wait for the runs (more than 0)."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Re-run the pipeline from STEP for chosen postings, with optional model overrides.

    Waits for the runs (with progress) unless --no-wait; exit 1 when they do not finish in time.
    """
    request = reprocessing.reprocess_request(
        step=step, models=model, reason=reason, priority=priority,
        posting_ids=posting, where=where, every_open=all_,
    )  # fmt: skip
    with open_context(data_dir) as ctx:
        done = reprocessing.reprocess(ctx, request, getpass.getuser())
        if not no_wait:
            done = dataclasses.replace(done, runs=_wait(ctx, done.run_ids, timeout))
    if as_json:
        answer = dataclasses.asdict(done)
        if no_wait:
            answer.pop("runs")
        print_json(answer)
        return
    out.print(
        f"emitted {done.commands} command(s) from step [bold]{step}[/]"
        + (f" with {escape(str(done.models))}" if done.models else "")
    )
    if not no_wait:
        counts: dict[str, int] = {}
        for s in done.runs.values():
            counts[s] = counts.get(s, 0) + 1
        out.print("runs: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))


def _wait(ctx: Context, run_ids: list[str], timeout: float) -> dict[str, str]:
    with Progress(
        TextColumn("runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("runs", total=len(run_ids))
        return reprocessing.wait_for_runs(
            ctx,
            run_ids,
            timeout,
            on_progress=lambda done, _total: progress.update(task, completed=done),
            on_quiet=lambda: console.print(
                "[yellow]no run has started yet: is a worker running? (`turing status`)[/]"
            ),
        )


@friendly
def runs(
    reason: str | None = typer.Option(None, "--reason", help="Only runs with this reason."),
    status: Literal["started", "completed", "failed"] | None = typer.Option(
        None, "--status", help="Only runs in this status."
    ),
    posting: str | None = typer.Option(None, "--posting", help="Only this posting's runs."),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """List pipeline runs, newest first; --json prints them as one JSON array."""
    with open_context(data_dir, caught_up=True) as ctx:
        rows = pipeline_reads.list_runs(
            ctx.endpoints.dsn,
            reason=reason,
            status=status,
            posting_id=posting,
            limit=limit,
            schema=ctx.schema,
        )
    if as_json:
        print_json(rows)
        return
    table = Table("run", "posting", "status", "start step", "version", "reason", "requested by", "error")
    for r in rows:
        colour = {"completed": "green", "failed": "red"}.get(r["status"], "yellow")
        table.add_row(
            r["run_id"][:8], escape(r["posting_id"]), f"[{colour}]{r['status']}[/]", r["start_step"],
            str(r["derivation_version"] or ""), escape(r["reason"]), escape(r["requested_by"]),
            escape((r["error"] or "")[:60]),
        )  # fmt: skip
    out.print(table)


@diff_app.command("posting")
@friendly
def diff_posting(
    posting_id: str = typer.Argument(..., metavar="ID", help="The posting id."),
    from_: int | None = typer.Option(
        None, "--from", min=1, help="Older version (default: the one before --to)."
    ),
    to: int | None = typer.Option(None, "--to", min=1, help="Newer version (default: the version in force)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """What changed between two derivation versions: fields, requirements layer by layer, skills."""
    with open_context(data_dir) as ctx:
        result = compare_versions(ctx, posting_id, from_, to)
    if as_json:
        print_json(result)
        return
    out.print(
        f"[bold]{escape(posting_id)}[/]: version {result['from_version']} → {result['to_version']} "
        f"({escape(result['to_reason'] or '')})"
    )
    changed = {
        k: v for k, v in (result["to_models"] or {}).items() if (result["from_models"] or {}).get(k) != v
    }
    if changed:
        out.print("models changed: " + escape(", ".join(f"{k}={v}" for k, v in sorted(changed.items()))))
    if not result["changes"]:
        out.print("no changes")
    for c in result["changes"]:
        if c["field"] == "skills":
            added, removed = ", ".join(c["added"]) or "-", ", ".join(c["removed"]) or "-"
            out.print(f"  skills  + {escape(added)}   - {escape(removed)}")
            continue
        text = f"  [dim]({escape(c['text'][:60])})[/]" if "text" in c else ""
        out.print(
            f"  [bold]{escape(c['field'])}[/]{text}\n    - {escape(str(c['from']))}\n    + {escape(str(c['to']))}"
        )


@rollback_app.command("posting")
@friendly
def rollback_posting(
    posting_id: str = typer.Argument(..., metavar="ID", help="The posting id."),
    to: int = typer.Option(..., "--to", min=1, help="The version to put back in force."),
    reason: str = typer.Option("rollback", "--reason", help="Why (recorded on the event)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Emit a rollback event: the projections put version --to back in force; nothing is deleted."""
    with open_context(data_dir) as ctx:
        done = rollbacks.rollback_posting(ctx, posting_id, to, reason)
    if as_json:
        print_json(done)
        return
    out.print(
        f"{escape(posting_id)}: version {to} is in force again (was {done.from_version}); event {done.event_id}"
    )


@friendly
def worker(data_dir: Path = DataDir) -> None:
    """Run the pipeline worker in the foreground (its consumer loops and a projector); Ctrl-C stops it.

    Exit 1 when a loop keeps crashing, so that a supervisor restarts it.
    """
    # The worker retries a broker that is down forever; a stack that is not running is said at once.
    stack_settings(data_dir)
    from infra import worker as worker_main

    worker_main.main(["--data-dir", str(data_dir)])
