"""The jury's reads (JuryStore) over the projection: one connection per batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from processors.pipeline.executor import Reusable, ReuseKey
from projections import db
from projections.read import pipeline as pipeline_queries
from projections.read import quality as quality_reads


class PostgresJuryReads:
    def __init__(self, conn: psycopg.Connection[Any], schema: str):
        self.conn, self.schema = conn, schema

    def juried(self, match_event_ids: Sequence[str], helen: str) -> set[str]:
        return quality_reads.juried(self.conn, self.schema, list(match_event_ids), helen)

    def reusable(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        return pipeline_queries.reusable(self.conn, self.schema, keys)


class PostgresJuryStore:
    def __init__(self, dsn: str, schema: str):
        self.dsn, self.schema = dsn, schema

    @contextmanager
    def reading(self) -> Iterator[PostgresJuryReads]:
        with db.connect(self.dsn) as conn:
            yield PostgresJuryReads(conn, self.schema)
