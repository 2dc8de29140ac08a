"""Connections to the projection database and the offsets every projection stores."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row


def connect(dsn: str) -> psycopg.Connection[dict[str, Any]]:
    """Rows as dicts, timestamps in UTC (checksums and answers must not depend on the server's zone)."""
    conn = psycopg.connect(dsn, row_factory=dict_row)
    conn.execute("SET TIME ZONE 'UTC'")
    conn.commit()
    return conn


def read_offsets(conn: psycopg.Connection[Any], schema: str) -> dict[tuple[str, int], int]:
    """Next offset to read per (topic, partition), as the projection in `schema` recorded it."""
    rows = conn.execute(
        sql.SQL("SELECT topic, partition, next_offset FROM {}.projector_offsets").format(
            sql.Identifier(schema)
        )
    ).fetchall()
    return {(r["topic"], r["partition"]): r["next_offset"] for r in rows}
