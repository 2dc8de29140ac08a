"""The root `turing` command: subcommands, `--version`, and the one place errors are reported."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from infra.cli import (
    access_cmds,
    deadletter_cmds,
    demo,
    eval_cmds,
    feedback_cmds,
    ingest_cmds,
    jury_cmds,
    lily_cmds,
    pipeline_cmds,
    projection_cmds,
    qa_cmds,
    score_cmds,
    search_cmds,
    skills_cmds,
    stack_cmds,
    taxonomy_cmds,
)
from infra.cli.common import ExitCode, debugging, note, unexpected
from infra.cli.quiet import quiet_third_party
from infra.context import VERSION


class TuringGroup(TyperGroup):
    """Reports usage errors as one `error:` line (exit 2) and turns any exception nobody
    expected into one line and exit 1; TURING_DEBUG=1 shows the traceback instead."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as exc:
            sys.exit(_usage_error(exc))
        except typer.Abort:
            note("error:", "bold red", "aborted")
            sys.exit(ExitCode.FAILED)
        except Exception as exc:
            if debugging():
                raise
            try:
                unexpected(exc, self._where(argv))
            except typer.Exit as stop:
                sys.exit(stop.exit_code)
        # Without standalone mode click returns the code of a typer.Exit, or the command's value.
        sys.exit(rv if isinstance(rv, int) else ExitCode.OK)

    def _where(self, argv: list[str]) -> str:
        names, group = ["turing"], self
        for arg in argv:
            sub = getattr(group, "commands", {}).get(arg)
            if sub is None:
                break
            names.append(arg)
            group = sub
        return " ".join(names)


def _usage_error(exc: typer.TyperException) -> int:
    code = int(getattr(exc, "exit_code", ExitCode.USAGE))
    if type(exc).__name__ == "NoArgsIsHelpError":
        return code  # the help was printed already
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "turing"
    # Typer validates through pydantic, whose messages carry a "Value error, " prefix.
    message = exc.format_message().replace("Value error, ", "")
    note("error:", "bold red", f"{message} — `{path}` — see `{path} --help`")
    return code


def _version(value: bool) -> None:
    if value:
        typer.echo(f"turing {VERSION}")
        raise typer.Exit()


app = typer.Typer(
    name="turing",
    cls=TuringGroup,
    help="Turing: job postings to explained matches; every step an immutable, traceable event.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turing: job postings to explained matches; every step an immutable, traceable event."""
    quiet_third_party()


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
app.add_typer(deadletter_cmds.deadletters_app, name="deadletters")
app.add_typer(skills_cmds.skills_app, name="skills")
app.add_typer(access_cmds.tokens_app, name="tokens")
app.add_typer(access_cmds.stage_app, name="stage")
app.add_typer(access_cmds.access_app, name="access")
app.add_typer(access_cmds.profiles_app, name="profiles")
app.add_typer(jury_cmds.jury_app, name="jury")
app.add_typer(feedback_cmds.feedback_app, name="feedback")
app.add_typer(qa_cmds.qa_app, name="qa")
app.add_typer(eval_cmds.eval_app, name="eval")


def main() -> None:
    app()
