"""`turing up`, `turing down`, `turing status`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer
from rich.markup import escape
from rich.table import Table

from infra import stack
from infra.cli.common import (
    DataDir,
    ExitCode,
    JsonFlag,
    console,
    fail,
    friendly,
    open_context,
    out,
    print_json,
)


@friendly
def up(
    data_dir: Path = DataDir,
    storage: Literal["s3", "memory"] = typer.Option(
        "s3", help="s3 (durable, on a local SeaweedFS) or memory (lost when the broker stops)."
    ),
    no_worker: bool = typer.Option(False, "--no-worker", help="Do not start the pipeline worker."),
) -> None:
    """Start the embedded stack (or reuse it): object store, broker, Postgres, API, pipeline worker."""
    with console.status("starting the embedded stack…") as st:
        state = stack.up(data_dir, storage=storage, log=lambda m: st.update(m), worker=not no_worker)
    e = state.endpoints()
    out.print(f"[green]stack up[/] in {escape(str(data_dir))}")
    out.print(
        f"  broker    {e.bootstrap_servers}\n  registry  {e.registry_url}\n  postgres  {e.printable_dsn}"
    )


@friendly
def down(
    data_dir: Path = DataDir,
    purge: bool = typer.Option(False, "--purge", help="Also delete the data dir (all events are lost)."),
) -> None:
    """Stop every process the stack in DATA_DIR started (by PID); nothing to stop is not an error."""
    with console.status("stopping the embedded stack…"):
        found = stack.down(data_dir, purge=purge)
    out.print("[green]stack stopped[/]" if found else f"no stack recorded in {escape(str(data_dir))}")


@friendly
def status(data_dir: Path = DataDir, as_json: bool = JsonFlag) -> None:
    """Each component, its address and health; the topics and their partitions. Exit 1 when not running."""
    info = stack.status(data_dir)
    if as_json:
        print_json(info)
        if not info["running"] or not info.get("healthy", True):
            raise typer.Exit(ExitCode.FAILED)
        return
    if not info["components"]:
        fail(f"no stack recorded in {data_dir} — start one with `turing up`")
    table = Table(title=f"Turing stack ({escape(str(data_dir))})")
    for col in ("component", "address", "pid", "health"):
        table.add_column(col)
    for c in info["components"]:  # type: ignore[attr-defined]
        health = (
            "[green]healthy[/]"
            if c["healthy"]
            else ("[yellow]running[/]" if c["running"] else "[red]down[/]")
        )
        table.add_row(c["name"], c["address"], str(c["pid"] or "-"), health)
    out.print(table)
    topics = info.get("topics") or []
    if topics:
        t = Table(title="topics")
        t.add_column("topic")
        t.add_column("partitions", justify="right")
        for tp in topics:  # type: ignore[attr-defined]
            t.add_row(tp["name"], str(tp["partitions"]))
        out.print(t)
    delivery = info.get("delivery")
    if isinstance(delivery, dict):
        _print_delivery(delivery)
    if not info["running"]:
        fail(f"the stack in {data_dir} is not fully running — `turing up` starts what has stopped")
    if not info.get("healthy", True):
        fail("the worker is not healthy (see the consumers above and logs/worker.log)")


def _print_delivery(delivery: dict[str, object]) -> None:
    """Per consumer: lag from recorded offsets, state, dead letters since start, last error."""
    t = Table(title="consumers (lag from recorded offsets)")
    for col in ("consumer", "topic", "state", "lag", "dead letters", "last error"):
        t.add_column(col, justify="right" if col in ("lag", "dead letters") else "left")
    for c in delivery.get("consumers") or []:  # type: ignore[attr-defined]
        state = "[red]stalled[/]" if c["stalled"] else escape(str(c["state"]))
        error = escape(str(c["last_error"] or "-"))[:80]
        t.add_row(c["name"], c["topic"], state, str(c["lag"]), str(c["dead_letters"]), error)
    out.print(t)
    if delivery.get("error"):
        out.print(f"[yellow]{escape(str(delivery['error']))}[/]")


@friendly
def init(data_dir: Path = DataDir, as_json: bool = JsonFlag) -> None:
    """Prepare external services (production): migrations, topics, and the schemas in the registry."""
    from infra.registry.store import migrate_registry
    from infra.settings import Settings
    from infra.taxonomies import configured
    from projections.write.migrate import migrate_all
    from schemas import catalog
    from schemas.topics import topic
    from streams.admin import ensure_topics

    with open_context(data_dir) as ctx:
        migrate_registry(ctx.endpoints.dsn)
        applied = migrate_all(ctx.endpoints.dsn, ctx.schema, configured(Settings.load(data_dir)))
        created = ensure_topics(ctx.endpoints.bootstrap_servers)
        ids = {
            t: ctx.registry.register(topic(t).subject, catalog.schema_text(t))
            for t in catalog.topics_with_schemas()
        }
    answer = {"migrations_applied": applied, "topics_created": created, "schema_ids": ids}
    if as_json:
        print_json(answer)
    else:
        out.print(
            f"migrations applied: {', '.join(applied) or 'none needed'}\n"
            f"topics created: {', '.join(created) or 'none needed'}\n"
            f"schemas registered: {', '.join(f'{k}={v}' for k, v in ids.items())}"
        )
