"""What every subcommand shares: the data-dir option, the context, friendly errors."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from infra.context import Context
from infra.settings import DEFAULT_DATA_DIR, ConfigError, Settings

console = Console(stderr=True)
# Piped output (logs, CI) gets a wide page instead of rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 150)
P = ParamSpec("P")
R = TypeVar("R")

DataDir = typer.Option(
    Path(os.environ.get("TURING_DATA_DIR", str(DEFAULT_DATA_DIR))),
    "--data-dir",
    help="Where the embedded stack keeps its data and state (env TURING_DATA_DIR).",
)
JsonFlag = typer.Option(False, "--json", help="Print the answer as JSON.")


def context(data_dir: Path, component: str = "turing-cli") -> Context:
    settings = Settings.load(data_dir)
    return Context(settings.endpoints(), component=component, schema=settings.projection_schema)


def print_json(obj: Any) -> None:
    out.print_json(json.dumps(obj, default=str))


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into one clear message and exit code 1, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from confluent_kafka import KafkaException
        from psycopg import OperationalError

        from schemas.registry_client import RegistryError
        from streams.producer import DeliveryFailed

        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except ConfigError as exc:
            _fail(str(exc))
        except OperationalError as exc:
            _fail(f"cannot reach PostgreSQL: {str(exc).strip()}. Is the stack up? (`turing status`)")
        except (KafkaException, DeliveryFailed) as exc:
            _fail(f"the broker failed: {exc}. Is the stack up? (`turing status`)")
        except RegistryError as exc:
            _fail(f"{exc}. Is the API up? (`turing status`)")
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            _fail(f"{exc.strerror}: {exc.filename}")
        except (LookupError, ValueError) as exc:
            _fail(str(exc))
        raise AssertionError("unreachable")

    return wrapper


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(1)
