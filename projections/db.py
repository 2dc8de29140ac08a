"""Connections to the projection database, the names of its schemas, and the offsets every projection stores."""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from schemas.errors import DatabaseRefused, DatabaseUnavailable, InfrastructureError, first_line


def translated(exc: psycopg.Error) -> InfrastructureError:
    """The project's error for a psycopg one: unreachable (connection-level) or refused (the rest)."""
    cls = (
        DatabaseUnavailable
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
        else DatabaseRefused
    )
    return cls(first_line(exc))


class _Connection(psycopg.Connection[Any]):
    """A connection whose `with` block hands a psycopg error on as the project's own.

    Code inside the block still sees psycopg's exceptions (the projector tells poison from
    outage by them); only what leaves the block is translated, so callers never import psycopg.
    """

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc_val, exc_tb)
        if isinstance(exc_val, psycopg.Error):
            raise translated(exc_val) from exc_val


def open_connection(dsn: str, **options: Any) -> psycopg.Connection[Any]:
    """`psycopg.connect` with the project's errors: a refused connection is DatabaseUnavailable."""
    try:
        return _Connection.connect(dsn, **options)
    except psycopg.Error as exc:
        raise translated(exc) from exc


# The schema readers address by name; rebuild swaps a fresh one in under this name.
LIVE_SCHEMA = "proj"
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_schema_name(schema: str) -> str:
    if not _SCHEMA_NAME.match(schema):
        raise ValueError(f"{schema!r} is not a valid projection schema name")
    return schema


def connect(dsn: str) -> psycopg.Connection[dict[str, Any]]:
    """Rows as dicts, timestamps in UTC (checksums and answers must not depend on the server's zone)."""
    conn = open_connection(dsn, row_factory=dict_row)
    try:
        conn.execute("SET TIME ZONE 'UTC'")
        conn.commit()
    except psycopg.Error as exc:
        conn.close()
        raise translated(exc) from exc
    return conn


def read_offsets(conn: psycopg.Connection[Any], schema: str) -> dict[tuple[str, int], int]:
    """Next offset to read per (topic, partition), as the projection in `schema` recorded it."""
    rows = conn.execute(
        sql.SQL("SELECT topic, partition, next_offset FROM {}.projector_offsets").format(
            sql.Identifier(schema)
        )
    ).fetchall()
    return {(r["topic"], r["partition"]): r["next_offset"] for r in rows}
