"""`turing projections …`, `turing projector run`, `turing trace …`."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.tree import Tree

from infra.cli.common import (
    DataDir,
    ExitCode,
    JsonFlag,
    console,
    friendly,
    note,
    open_context,
    out,
    print_json,
)
from processors.taxonomy.model import short_identity
from projections import lineage
from projections.write.rebuild import rebuild

projections_app = typer.Typer(help="Rebuild and run the Postgres projections.", no_args_is_help=True)
trace_app = typer.Typer(help="Trace a projected field to the events that produced it.", no_args_is_help=True)


@projections_app.command("rebuild")
@friendly
def rebuild_cmd(
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
    no_swap: bool = typer.Option(False, "--no-swap", help="Compare only; keep the live projection."),
) -> None:
    """Replay every topic into a fresh schema, compare checksums with the live one, swap atomically."""
    with (
        open_context(data_dir, component="projector") as ctx,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("replaying", total=None)
        ctx.catch_up()
        report = rebuild(
            ctx.endpoints.dsn,
            ctx.log_reader,
            ctx.codec,
            live=ctx.schema,
            swap=not no_swap,
            dead_letters=ctx.producer,
            on_batch=lambda s: progress.update(task, description=f"replaying: {s.events:,} events"),
        )
    answer = report.as_dict()
    if as_json:
        print_json(answer)
        return
    verdict = (
        "[green]equal[/]"
        if report.equal
        else "[yellow]DIFFERENT (the log wins: rebuilt state is now live)[/]"
    )
    out.print(
        f"rebuilt [bold]{report.events:,}[/] events in {report.seconds:.2f}s ({report.events_per_s:,.0f} events/s)\n"
        f"  live     {report.checksum_live}\n  rebuilt  {report.checksum_rebuilt}\n  checksums {verdict}"
        + ("" if report.swapped else "\n  (--no-swap: live projection kept)")
        + (
            f"\n  [yellow]{report.rejected:,} records could not be applied[/]: dead-lettered, the replay went on"
            " (`turing deadletters list`)"
            if report.rejected
            else ""
        )
    )


@projections_app.command("run")
@friendly
def run_projector(
    data_dir: Path = DataDir,
    once: bool = typer.Option(False, "--once", help="Catch up and exit instead of running as a service."),
    as_json: bool = JsonFlag,
) -> None:
    """The projector service: consume every topic into the live projection (Ctrl-C stops it)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    total = 0
    with open_context(data_dir, component="projector") as ctx:
        try:
            while True:
                stats = ctx.projector().run(stop=stop)
                total += stats.events
                if stats.events and not as_json:
                    out.print(f"projected {stats.events:,} events ({stats.dead_lettered} dead-lettered)")
                if once or stop.is_set():
                    break
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
    if as_json:
        print_json({"events": total})


@trace_app.command("posting")
@friendly
def trace_posting(
    posting_id: str = typer.Argument(..., metavar="ID", help="The posting id."),
    field: str = typer.Argument(
        ...,
        metavar="FIELD",
        help="title, salary_min, status, summary, ghost_score, 'requirements[3].certification', …",
    ),
    verify: bool = typer.Option(False, "--verify", help="Re-read each event from the broker and check it."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """The field's value, the event that set it, and its causes down to the first observation.

    --verify re-reads every event from the broker; exit 1 when one does not match.
    """
    _trace(
        data_dir,
        lambda dsn, schema: lineage.trace_posting(dsn, posting_id, field, schema=schema),
        verify,
        as_json,
    )


@trace_app.command("match")
@friendly
def trace_match_cmd(
    profile_id: str = typer.Argument(..., metavar="PROFILE", help="The profile id."),
    posting_id: str = typer.Argument(..., metavar="POSTING", help="The posting id."),
    field: str = typer.Argument(
        "fit", metavar="FIELD", help="fit, fit.components.hard_skills, stretch, recommendation…"
    ),
    verify: bool = typer.Option(False, "--verify", help="Re-read each event from the broker and check it."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """A match's number, the match event, and the profile and posting versions it came from."""
    from projections.lineage import trace_match

    _trace(
        data_dir,
        lambda dsn, schema: trace_match(dsn, profile_id, posting_id, field, schema=schema),
        verify,
        as_json,
    )


def _trace(data_dir: Path, find: Callable[[str, str], dict[str, Any]], verify: bool, as_json: bool) -> None:
    """Run a trace, optionally verify it against the log, print it; exit 1 when verification fails."""
    with open_context(data_dir, component="trace") as ctx:
        result = find(ctx.endpoints.dsn, ctx.schema)
        if verify:
            result = lineage.verify(result, ctx.log_reader, ctx.codec)
    if as_json:
        print_json(result)
    else:
        out.print(trace_tree(result))
    if verify and not result["verified"]:
        note("error:", "bold red", "verification failed: the log does not say what the projection says")
        raise typer.Exit(ExitCode.FAILED)


def _e(value: object) -> str:
    # Values come from postings and events: rich must print them, not read them as markup.
    return escape(str(value))


def trace_tree(result: dict[str, Any]) -> Tree:
    value = result["value"]
    shown = (value[:120] + "…") if isinstance(value, str) and len(value) > 120 else value
    version = f" (derivation v{result['derivation_version']})" if "derivation_version" in result else ""
    entity = result.get("entity", "posting")
    root = Tree(
        f"[bold]{entity} {_e(result['id'])}[/]{version} · [cyan]{_e(result['field'])}[/] = {_e(repr(shown))}"
    )
    checks = {c["event_id"]: c for c in result.get("verification", [])}
    decision = result.get("decision")
    if decision:
        root.add(
            f"decision: step [bold]{decision['step']}[/] ({decision['task']}) by {_e(decision['engine'])}:"
            f"{_e(decision['model'])} · prompt {_e(decision['prompt_version'])} {str(decision['prompt_hash'])[:12]} · "
            f"input {str(decision['input_hash'])[:12]} · {decision['status']}"
            + (f" (reuses {decision['reused_decision_id']})" if decision.get("reused_decision_id") else "")
            + (f" · taxonomy {_e(short_identity(decision['taxonomy']))}" if decision.get("taxonomy") else "")
        )
    run = result.get("run")
    if run:
        root.add(
            f"run {run['run_id']}: [bold]{_e(run['reason'])}[/] · {run['trigger']} by {_e(run['requested_by'])} · "
            f"from {run['start_step']} · {run['status']}"
        )
    for ev in result.get("related", []):
        c = checks.get(ev["event_id"])
        mark = "" if c is None else (" [green]✔[/]" if c["ok"] else f" [red]✘ {_e(c['reason'])}[/]")
        root.add(
            f"{ev['role']}: {ev['event_type']} {ev['event_id']} {ev['topic']}[{ev['partition']}]@{ev['offset']}{mark}"
        )
    node = root
    for i, ev in enumerate([result["event"], *result["causes"]]):
        if ev.get("missing"):
            node.add(f"[red]{ev['event_id']} missing from the audit log[/]")
            break
        mark = ""
        if ev["event_id"] in checks:
            c = checks[ev["event_id"]]
            mark = " [green]✔ verified in the log[/]" if c["ok"] else f" [red]✘ {_e(c['reason'])}[/]"
        label = "set by" if i == 0 else "caused by"
        node = node.add(
            f"{label} [bold]{ev['event_type']}[/] {ev['event_id']}{mark}\n"
            f"{ev['topic']}[{ev['partition']}]@{ev['offset']} · {ev['occurred_at']} · "
            f"{_e(ev['producer']['component'])}/{_e(ev['producer']['version'])}"
        )
    if result.get("verified") is not None:
        root.add("[green]verified: true[/]" if result["verified"] else "[red]verified: false[/]")
    return root
