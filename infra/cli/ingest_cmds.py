"""`turing ingest postings FILE` and `turing postings …`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra import ingest as intake
from infra.cli.common import DataDir, JsonFlag, console, context, friendly, out, print_json
from infra.ingest import targets_of
from processors.intake.changes import withdraw
from projections import queries
from schemas.models import now_utc

ingest_app = typer.Typer(help="Bring data into Turing as events.", no_args_is_help=True)
postings_app = typer.Typer(help="Look at and act on postings.", no_args_is_help=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@ingest_app.command("postings")
@friendly
def ingest_postings(
    file: Path = typer.Argument(
        ...,
        help="JSONL or CSV (id, source, title, company, location, description, "
        "salary_min, salary_max, currency, work_model, posted_at, url).",
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
    rejects: Path | None = typer.Option(
        None, help="Write every rejected record and its errors here (JSONL)."
    ),
) -> None:
    """Validate, normalise and emit posting events: observed, changed, or nothing if unchanged."""
    data = file.read_bytes()
    ctx = context(data_dir, component="intake")
    try:
        with _progress() as progress:
            task = progress.add_task("starting", total=None)
            result = intake.ingest_postings(
                ctx,
                file.name,
                data,
                on_phase=lambda name, total: progress.update(
                    task, description=name, total=total, completed=0
                ),
                on_event=lambda: progress.advance(task),
            )
    finally:
        ctx.close()
    summary = result.summary()
    if rejects is not None:
        with rejects.open("w", encoding="utf-8") as fh:
            for r in result.rejected:
                fh.write(
                    json.dumps({"line": r.line, "id": r.record_id, "errors": [str(e) for e in r.errors]})
                    + "\n"
                )
    for r in result.rejected[:20]:
        console.print(f"[yellow]rejected[/] {file.name}: {r.message()}", highlight=False, markup=False)
    if len(result.rejected) > 20:
        console.print(
            f"… and {len(result.rejected) - 20} more rejected records (use --rejects FILE to keep them all)"
        )
    if as_json:
        print_json(summary)
        return
    out.print(
        f"[bold]{file.name}[/]: [green]{summary['new']} new[/], [cyan]{summary['changed']} changed[/], "
        f"{summary['unchanged']} unchanged, [red]{summary['rejected']} rejected[/]"
    )


@postings_app.command("withdraw")
@friendly
def withdraw_posting(
    posting_id: str = typer.Argument(..., metavar="ID"),
    reason: str = typer.Option("withdrawn by an operator", help="Why (kept in the event)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Emit `withdrawn` for a posting; its history stays."""
    ctx = context(data_dir, component="intake")
    try:
        ctx.catch_up()
        known = queries.known_postings(ctx.endpoints.dsn, ctx.schema, [posting_id]).get(posting_id)
        event = withdraw(posting_id, known, reason, ctx.producer_meta, now_utc())
        ctx.producer.send(event)
        deliveries = ctx.producer.flush()
        ctx.catch_up(targets_of(deliveries))
    finally:
        ctx.close()
    d = deliveries[0]
    answer = {
        "posting_id": posting_id,
        "event_id": str(event.meta.event_id),
        "topic": d.topic,
        "partition": d.partition,
        "offset": d.offset,
    }
    if as_json:
        print_json(answer)
    else:
        out.print(f"withdrew {posting_id}: event {answer['event_id']} at {d.topic}[{d.partition}]@{d.offset}")


@postings_app.command("list")
@friendly
def list_postings(
    data_dir: Path = DataDir,
    limit: int = typer.Option(50, help="At most this many."),
    status: str | None = typer.Option(None, help="open or withdrawn."),
    as_json: bool = JsonFlag,
) -> None:
    """The projected postings (current content)."""
    ctx = context(data_dir)
    rows = queries.list_postings(ctx.endpoints.dsn, limit=limit, status=status)
    if as_json:
        print_json(rows)
        return
    out.print(postings_table(rows))


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
        table.add_row(
            str(r["posting_id"]),
            str(r["version"]),
            str(r["status"]),
            str(r["title"]),
            str(r["company"]),
            str(r["location"]),
            str(r.get("work_model") or "-"),
            salary,
        )
    return table


def _k(v: object) -> str:
    return "?" if v is None else f"{float(v) / 1000:,.0f}k"  # type: ignore[arg-type]


@ingest_app.command("profiles")
@friendly
def ingest_profiles(
    file: Path = typer.Argument(
        ..., help="A JSON object, a JSON array or JSONL of profiles (see sample_data)."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Validate candidate profiles and emit profile events: created, changed, or nothing if unchanged."""
    from infra.ingest_profiles import ingest_profiles as run

    data = file.read_bytes()
    ctx = context(data_dir, component="intake")
    try:
        result = run(ctx, file.name, data)
    finally:
        ctx.close()
    for r in result.rejected[:20]:
        console.print(f"[yellow]rejected[/] {file.name}: record {r.message()}", highlight=False, markup=False)
    summary = result.summary()
    if as_json:
        print_json({**summary, "rejected_records": [
            {"record": r.line, "id": r.record_id, "errors": [str(e) for e in r.errors]} for r in result.rejected
        ]})  # fmt: skip
        return
    out.print(
        f"[green]{summary['new']} new[/], [cyan]{summary['changed']} changed[/], {summary['unchanged']} unchanged, "
        f"[red]{summary['rejected']} rejected[/]"
    )
