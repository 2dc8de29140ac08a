"""The database adapter hands psycopg's errors on as the project's own, at its boundary."""

from __future__ import annotations

import socket

import psycopg
import pytest

from projections import db
from schemas.errors import DatabaseRefused, DatabaseUnavailable


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_database_that_does_not_answer_is_unavailable() -> None:
    dsn = f"postgresql://nobody@127.0.0.1:{_closed_port()}/turing?connect_timeout=2"
    with pytest.raises(DatabaseUnavailable) as caught:
        db.connect(dsn)
    assert isinstance(caught.value.__cause__, psycopg.OperationalError)
    assert "\n" not in str(caught.value)


@pytest.mark.stack
def test_a_refused_query_leaves_the_block_translated_but_is_psycopgs_inside(pg_dsn: str) -> None:
    seen_inside: list[BaseException] = []
    with pytest.raises(DatabaseRefused, match="no_such_table"), db.connect(pg_dsn) as conn:
        try:
            conn.execute("SELECT 1 FROM no_such_table")
        except psycopg.errors.UndefinedTable as exc:
            seen_inside.append(exc)
            raise
    assert len(seen_inside) == 1
