"""The pipeline's reads (PipelineStore) over the projection: one connection per batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from processors.pipeline.executor import Reusable, ReuseKey
from processors.pipeline.work import PostingState, PriorDerivation
from projections import db
from projections.read import pipeline as pipeline_queries


class PostgresPipelineReads:
    def __init__(self, conn: psycopg.Connection[Any], schema: str):
        self.conn, self.schema = conn, schema

    def _q(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(s=sql.Identifier(self.schema))

    def posting_states(self, ids: Sequence[str]) -> dict[str, PostingState]:
        return pipeline_queries.posting_states(self.conn, self.schema, list(ids))

    def derivations(self, ids: Sequence[str], version: int | None = None) -> dict[str, PriorDerivation]:
        return pipeline_queries.derivations(self.conn, self.schema, list(ids), version)

    def max_versions(self, ids: Sequence[str]) -> dict[str, int]:
        return pipeline_queries.max_versions(self.conn, self.schema, list(ids))

    def derivation_versions(self, event_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        rows = self.conn.execute(
            self._q(
                "SELECT event_id, posting_id, version FROM {s}.derivations WHERE event_id = ANY(%s::uuid[])"
            ),
            (list(event_ids),),
        )
        return {str(r["event_id"]): (r["posting_id"], r["version"]) for r in rows}

    def newest_version_below(self, posting_id: str, version: int) -> int | None:
        row = self.conn.execute(
            self._q("SELECT max(version) AS v FROM {s}.derivations WHERE posting_id = %s AND version < %s"),
            (posting_id, version),
        ).fetchone()
        return None if row is None or row["v"] is None else int(row["v"])

    def decisions_of_runs(self, run_ids: Sequence[str]) -> set[str]:
        rows = self.conn.execute(
            self._q("SELECT event_id FROM {s}.decisions WHERE run_id = ANY(%s)"), (list(run_ids),)
        )
        return {str(r["event_id"]) for r in rows}

    def decisions_by_step(self, decision_ids: Sequence[str]) -> dict[str, list[str]]:
        return pipeline_queries.decisions_by_step(self.conn, self.schema, list(decision_ids))


class PostgresPipelineStore:
    def __init__(self, dsn: str, schema: str):
        self.dsn, self.schema = dsn, schema

    @contextmanager
    def reading(self) -> Iterator[PostgresPipelineReads]:
        with db.connect(self.dsn) as conn:
            yield PostgresPipelineReads(conn, self.schema)

    def reusable(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        with db.connect(self.dsn) as conn:
            return pipeline_queries.reusable(conn, self.schema, keys)
