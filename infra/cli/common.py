"""What every subcommand shares: exit codes, the data-dir option, the context, JSON and errors."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum, IntEnum
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar
from uuid import UUID

import typer
from rich.console import Console
from rich.text import Text

from infra.cli.quiet import DEBUG_ENV, debugging
from infra.context import Context
from infra.settings import DEFAULT_DATA_DIR, Settings
from schemas.errors import (
    BadInput,
    BrokerUnavailable,
    ConfigError,
    DatabaseRefused,
    DatabaseUnavailable,
    InfrastructureError,
    RegistryUnavailable,
    UserError,
)

console = Console(stderr=True)
# Piped output (logs, CI) gets a wide page instead of rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 150)
P = ParamSpec("P")
R = TypeVar("R")


class ExitCode(IntEnum):
    """The exit statuses of every `turing` command (docs/cli.md has the table)."""

    OK = 0
    # The command could not do its work: the stack is down, a service failed, or what was
    # asked for does not exist (an unknown id, a lookup with no match).
    FAILED = 1
    # The command line was wrong: a bad option value, or an input file that is missing,
    # unreadable, or of the wrong kind. Typer uses 2 for its own usage errors too.
    USAGE = 2
    # Input records: some were rejected, the others accepted.
    PARTIAL = 3
    # Input records: none was accepted (all rejected, or the input held none).
    NONE_ACCEPTED = 4


DataDir = typer.Option(
    Path(os.environ.get("TURING_DATA_DIR", str(DEFAULT_DATA_DIR))),
    "--data-dir",
    file_okay=False,
    help="Where the embedded stack keeps its data and state (env TURING_DATA_DIR).",
)
JsonFlag = typer.Option(False, "--json", help="Print the answer as JSON.")


def input_file(help_text: str, *, dir_okay: bool = False, default: Any = ...) -> Any:
    """A positional input path that must exist and be readable (else a usage error, exit 2)."""
    return typer.Argument(
        default,
        metavar="DIR" if dir_okay else "FILE",
        help=help_text,
        exists=True,
        file_okay=not dir_okay,
        dir_okay=dir_okay,
        readable=True,
    )


def one_of(values: Iterable[str]) -> Callable[[str], str]:
    """Option callback for a choice known only at run time: a usage error names the allowed values."""
    allowed = tuple(values)

    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, allowed))}")
        return value

    return check


def positive(value: float | None) -> float | None:
    """Option callback: seconds and similar quantities must be greater than zero."""
    if value is not None and value <= 0:
        raise typer.BadParameter(f"must be greater than 0, got {value:g}")
    return value


def stack_settings(data_dir: Path) -> Settings:
    """The settings, once it is known that their services can be reached: external ones are
    configured, or the embedded stack in `data_dir` is recorded and running."""
    settings = Settings.load(data_dir)
    if not settings.production:
        _require_running(settings.data_dir)
        settings.endpoints()  # raises, saying how to start one, when none is recorded
    return settings


def context(data_dir: Path, component: str = "turing-cli") -> Context:
    """The adapters wired for the stack in `data_dir`; the caller closes it (see `open_context`)."""
    settings = stack_settings(data_dir)
    return Context(settings.endpoints(), component=component, schema=settings.projection_schema)


@contextmanager
def open_context(
    data_dir: Path, component: str = "turing-cli", *, caught_up: bool = False
) -> Iterator[Context]:
    """The context a command needs, flushed and closed when the block ends, however it ends.

    `caught_up` first projects what the log holds so far, for commands that read what an
    earlier command (or the worker) has just written.
    """
    ctx = context(data_dir, component)
    try:
        if caught_up:
            ctx.catch_up()
        yield ctx
    finally:
        ctx.close()


def caught_up_read(data_dir: Path, read: Callable[[Any, str], R]) -> R:
    """Project what the log holds so far, then answer `read(connection, schema)` from it."""
    from projections import db

    with open_context(data_dir, caught_up=True) as ctx, db.connect(ctx.endpoints.dsn) as conn:
        return read(conn, ctx.schema)


def _require_running(data_dir: Path) -> None:
    """A recorded stack whose broker or database has stopped is named as such, in one line,
    before any client tries to connect (and the Kafka client logs its retries on stderr)."""
    from infra.procs import alive
    from infra.stack_state import StackState

    state = StackState.read(data_dir)
    if state is None:
        return  # Settings.endpoints() explains how to start one
    pids = state.component_pids()
    stopped = [name for name in ("broker", "postgres") if not alive(pids.get(name))]
    if stopped:
        raise ConfigError(
            f"the embedded stack in {data_dir} is not running ({' and '.join(stopped)} stopped) — "
            "start it with `turing up`; `turing status` shows each component"
        )


def intake_exit(summary: Mapping[str, int]) -> ExitCode:
    """0 when nothing was rejected and something was read; 3 for a partial, 4 for a total refusal."""
    accepted = summary["new"] + summary["changed"] + summary["unchanged"]
    if accepted == 0:
        return ExitCode.NONE_ACCEPTED
    return ExitCode.PARTIAL if summary["rejected"] else ExitCode.OK


def _encode(value: Any) -> Any:
    # Called by json.dumps only for what it cannot encode itself.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, UUID | Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """The one JSON encoding of CLI answers: timestamps ISO 8601 with `T` and offset."""
    return json.dumps(obj, default=_encode, ensure_ascii=False, indent=indent)


def print_json(obj: Any) -> None:
    """One JSON document on stdout."""
    sys.stdout.write(to_json(obj, indent=2) + "\n")
    sys.stdout.flush()


def print_json_lines(rows: Iterable[Any]) -> None:
    """JSON lines on stdout: one compact object per line."""
    for row in rows:
        sys.stdout.write(to_json(row) + "\n")
    sys.stdout.flush()


def note(label: str, style: str, message: str) -> None:
    """A labelled line on stderr; the message is shown as given, never read as markup."""
    console.print(Text.assemble((label, style), " ", message), highlight=False, soft_wrap=True)


def fail(message: str, code: ExitCode = ExitCode.FAILED) -> NoReturn:
    note("error:", "bold red", message)
    raise typer.Exit(int(code))


def unexpected(exc: BaseException, where: str) -> NoReturn:
    """The last net: any exception nobody expected becomes one line and exit 1, not a traceback."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    at = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "no details"
    fail(
        f"unexpected {type(exc).__name__}: {detail} — in `{where}`{at} — "
        f"this is a bug: rerun with {DEBUG_ENV}=1 to see the traceback, and report it"
    )


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the failures a user can act on into one clear line and the contract's exit code.

    Anything else propagates to the root command, which reports it as unexpected (one line).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            known = None if debugging() else explain(exc)
            if known is None:
                raise
            fail(*known)

    return wrapper


def explain(exc: Exception) -> tuple[str, ExitCode] | None:
    """The message and exit code for a failure a user can act on; None for a bug.

    The one map from errors to exit codes: the project's own hierarchy (adapters have already
    translated their libraries' errors into it), then the few built-in errors a command's
    input or the OS can raise.
    """
    failed = ExitCode.FAILED
    if isinstance(exc, BrokenPipeError):
        return None  # the reader went away (`| head`): typer exits quietly
    if isinstance(exc, BadInput):
        return str(exc), ExitCode.USAGE
    if isinstance(exc, UserError):
        return str(exc), failed
    if isinstance(exc, DatabaseUnavailable):
        return f"cannot reach PostgreSQL: {exc} — is the stack up? (`turing status`)", failed
    if isinstance(exc, DatabaseRefused):
        return f"PostgreSQL refused the request: {exc} — see `turing status`", failed
    if isinstance(exc, BrokerUnavailable):
        return f"the broker failed: {exc} — is the stack up? (`turing status`)", failed
    if isinstance(exc, RegistryUnavailable):
        return f"{exc} — is the API up? (`turing status`)", failed
    if isinstance(exc, InfrastructureError):
        return f"{exc} — see `turing status`", failed
    if isinstance(exc, TimeoutError):
        return str(exc) or "timed out", failed
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}", failed
    if isinstance(exc, KeyError | IndexError):
        # A lookup that says what was not found is meant for the user; a bare key is a bug.
        message = exc.args[0] if exc.args else None
        return (message, failed) if isinstance(message, str) and " " in message else None
    if isinstance(exc, LookupError | ValueError):
        return str(exc), failed
    return None
