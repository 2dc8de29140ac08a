"""The root `turing` command."""

from __future__ import annotations

import sys
import warnings

import typer

from infra.cli import (
    demo,
    ingest_cmds,
    lily_cmds,
    pipeline_cmds,
    projection_cmds,
    score_cmds,
    search_cmds,
    stack_cmds,
    taxonomy_cmds,
)

app = typer.Typer(
    name="turing",
    help="Turing: job postings to explained matches; every step an immutable, traceable event.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("up")(stack_cmds.up)
app.command("down")(stack_cmds.down)
app.command("status")(stack_cmds.status)
app.command("init")(stack_cmds.init)
app.command("demo")(demo.demo)
app.add_typer(ingest_cmds.ingest_app, name="ingest")
app.add_typer(ingest_cmds.postings_app, name="postings")
app.add_typer(projection_cmds.projections_app, name="projections")
app.add_typer(projection_cmds.trace_app, name="trace")
app.command("reprocess")(pipeline_cmds.reprocess)
app.command("runs")(pipeline_cmds.runs)
app.add_typer(pipeline_cmds.diff_app, name="diff")
app.add_typer(pipeline_cmds.rollback_app, name="rollback")
app.command("worker")(pipeline_cmds.worker)
app.add_typer(lily_cmds.lily_app, name="lily")
app.add_typer(taxonomy_cmds.taxonomy_app, name="taxonomy")
app.command("score")(score_cmds.score)
app.add_typer(search_cmds.search_app, name="search")


def main() -> None:
    # A library asks for a per-user runtime dir it never uses; its warning is noise here.
    warnings.filterwarnings("ignore", category=UserWarning, module="platformdirs")
    sys.exit(app())
