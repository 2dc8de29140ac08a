"""`turing ingest postings FILE` and `turing postings …`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra.cli.common import (
    DataDir,
    JsonFlag,
    console,
    friendly,
    input_file,
    intake_exit,
    note,
    open_context,
    out,
    print_json,
)
from infra.cli.shapes import expect
from infra.context import Context
from infra.usecases import ingest_postings as intake
from infra.usecases.withdraw import withdraw_posting as withdraw
from processors.intake.records import Rejected
from projections.read import postings as queries
from schemas.errors import NotFound

ingest_app = typer.Typer(help="Bring data into Turing as events.", no_args_is_help=True)
postings_app = typer.Typer(help="Look at and act on postings.", no_args_is_help=True)
R = TypeVar("R")


def _with_progress(ingest: Callable[..., R], ctx: Context, name: str, data: bytes) -> R:
    """Run an ingest use case with a progress line per phase (a bar while events are emitted)."""
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("starting", total=None)
        return ingest(
            ctx,
            name,
            data,
            on_phase=lambda phase, total: progress.update(task, description=phase, total=total, completed=0),
            on_event=lambda: progress.advance(task),
        )


@ingest_app.command("postings")
@friendly
def ingest_postings(
    file: Path = input_file(
        "JSONL or CSV (id, source, title, company, location, description, "
        "salary_min, salary_max, currency, work_model, posted_at, url)."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
    rejects: Path | None = typer.Option(
        None, help="Write every rejected record and its errors here (JSONL)."
    ),
) -> None:
    """Validate, normalise and emit posting events: observed, changed, or nothing if unchanged.

    Exit 0 when every record was accepted, 3 when some were rejected, 4 when none was accepted.
    """
    data = file.read_bytes()
    expect(file, data, "posting", "did you mean `turing ingest profiles`?")
    with open_context(data_dir, component="intake") as ctx:
        result = _with_progress(intake.ingest_postings, ctx, file.name, data)
    summary = result.summary()
    if rejects is not None:
        with rejects.open("w", encoding="utf-8") as fh:
            for r in result.rejected:
                fh.write(
                    json.dumps({"line": r.line, "id": r.record_id, "errors": [str(e) for e in r.errors]})
                    + "\n"
                )
    _report_rejected(file, result.rejected, "use --rejects FILE to keep them all")
    if as_json:
        print_json(summary)
    else:
        out.print(f"[bold]{escape(file.name)}[/]: {_counts(summary)}")
    raise typer.Exit(intake_exit(summary))


def _report_rejected(file: Path, rejected: list[Rejected], more_hint: str, shown: int = 20) -> None:
    for r in rejected[:shown]:
        note("rejected", "yellow", f"{file.name}: {r.message()}")
    if len(rejected) > shown:
        note("…", "yellow", f"and {len(rejected) - shown} more rejected records ({more_hint})")


def _counts(summary: dict[str, int]) -> str:
    return (
        f"[green]{summary['new']} new[/], [cyan]{summary['changed']} changed[/], "
        f"{summary['unchanged']} unchanged, [red]{summary['rejected']} rejected[/]"
    )


@postings_app.command("withdraw")
@friendly
def withdraw_posting(
    posting_id: str = typer.Argument(..., metavar="ID", help="The posting id (see `turing postings list`)."),
    reason: str = typer.Option("withdrawn by an operator", help="Why (kept in the event)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Emit `withdrawn` for a posting; its history stays."""
    with open_context(data_dir, component="intake") as ctx:
        done = withdraw(ctx, posting_id, reason)
    if as_json:
        print_json(done)
    else:
        out.print(
            f"withdrew {escape(posting_id)}: event {done.event_id} at {done.topic}[{done.partition}]@{done.offset}"
        )


@postings_app.command("list")
@friendly
def list_postings(
    data_dir: Path = DataDir,
    limit: int = typer.Option(50, min=1, help="At most this many."),
    status: Literal["open", "withdrawn"] | None = typer.Option(None, help="Only postings in this status."),
    as_json: bool = JsonFlag,
) -> None:
    """The projected postings (current content), by id; --json prints them as one JSON array."""
    with open_context(data_dir) as ctx:
        rows = queries.list_postings(ctx.endpoints.dsn, limit=limit, status=status, schema=ctx.schema)
    if as_json:
        print_json(rows)
        return
    out.print(postings_table(rows))


@postings_app.command("show")
@friendly
def show_posting(
    posting_id: str = typer.Argument(..., metavar="ID", help="The posting id (see `turing postings list`)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """One posting as projected: content, status, version, content hash, timestamps, its versions."""
    # A posting ingested a moment ago is in the log before it is in the projection.
    with open_context(data_dir, caught_up=True) as ctx:
        row = queries.get_posting(ctx.endpoints.dsn, posting_id, schema=ctx.schema)
    if row is None:
        raise NotFound(f"no posting with id {posting_id!r} — see `turing postings list`")
    row.pop("field_events", None)
    if as_json:
        print_json(row)
        return
    _print_posting(row)


def _print_posting(row: dict[str, Any]) -> None:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key in ("posting_id", "status", "version", "content_hash", "source", "title", "company",
                "location", "work_model", "salary", "posted_at", "url", "first_seen_at", "updated_at",
                "last_event_id"):  # fmt: skip
        if key == "salary":
            lo, hi = row.get("salary_min"), row.get("salary_max")
            value = "-" if lo is None and hi is None else f"{lo} to {hi} {row.get('currency') or ''}".strip()
        else:
            raw = row.get(key)
            value = "-" if raw is None else (raw.isoformat() if hasattr(raw, "isoformat") else str(raw))
        table.add_row(key, escape(value))
    out.print(table)
    description = " ".join(str(row.get("description") or "").split())
    out.print("[bold]description[/]  " + escape(description[:600] + ("…" if len(description) > 600 else "")))
    versions = row.get("versions") or []
    if versions:
        history = Table("version", "event", "changed", "at", title="versions")
        for v in versions:
            history.add_row(str(v["version"]), v["event_type"], escape(", ".join(v["changed_fields"]) or "-"),
                            v["occurred_at"].isoformat())  # fmt: skip
        out.print(history)


def postings_table(rows: list[dict[str, object]], title: str = "postings") -> Table:
    table = Table(title=title)
    widths = {"id": 22, "title": 38, "company": 24, "location": 22, "salary": 22}
    fixed = {"v": 2, "status": 9, "model": 6}
    for col in ("id", "v", "status", "title", "company", "location", "model", "salary"):
        table.add_column(
            col, no_wrap=True, overflow="ellipsis", max_width=widths.get(col), min_width=fixed.get(col)
        )
    for r in rows:
        lo, hi, cur = r.get("salary_min"), r.get("salary_max"), r.get("currency") or ""
        salary = "-" if lo is None and hi is None else f"{_k(lo)}-{_k(hi)} {cur}".strip()
        # Cells are markup to rich: a title like "[remote] Engineer" must show as written.
        cells = (r["posting_id"], r["version"], r["status"], r["title"], r["company"], r["location"],
                 r.get("work_model") or "-", salary)  # fmt: skip
        table.add_row(*(escape(str(c)) for c in cells))
    return table


def _k(v: object) -> str:
    return "?" if v is None else f"{float(v) / 1000:,.0f}k"  # type: ignore[arg-type]


@ingest_app.command("profiles")
@friendly
def ingest_profiles(
    file: Path = input_file("A JSON object, a JSON array or JSONL of profiles (see sample_data)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Validate candidate profiles and emit profile events: created, changed, or nothing if unchanged.

    Exit 0 when every record was accepted, 3 when some were rejected, 4 when none was accepted.
    """
    from infra.usecases.ingest_profiles import ingest_profiles as run

    data = file.read_bytes()
    expect(file, data, "profile", "did you mean `turing ingest postings`?")
    with open_context(data_dir, component="intake") as ctx:
        result = _with_progress(run, ctx, file.name, data)
    _report_rejected(file, result.rejected, "--json lists them all")
    summary = result.summary()
    if as_json:
        print_json({**summary, "rejected_records": [
            {"record": r.line, "id": r.record_id, "errors": [str(e) for e in r.errors]} for r in result.rejected
        ]})  # fmt: skip
    else:
        out.print(f"[bold]{escape(file.name)}[/]: {_counts(summary)}")
    raise typer.Exit(intake_exit(summary))
