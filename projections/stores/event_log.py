"""Which events the projection holds: the audit log (EventLog), and how far it has read (offsets)."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import sql

from processors.ports import Partition
from projections import db


class PostgresEventLog:
    def __init__(self, dsn: str, schema: str):
        self.dsn, self.schema = dsn, schema

    def logged(self, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        with db.connect(self.dsn) as conn:
            rows = conn.execute(
                sql.SQL("SELECT event_id FROM {}.audit_log WHERE event_id = ANY(%s::uuid[])").format(
                    sql.Identifier(self.schema)
                ),
                (list(event_ids),),
            )
            return {str(r["event_id"]) for r in rows}

    def applied_offsets(self) -> dict[Partition, int]:
        """The next offset the projector will apply per partition (what it committed with its rows)."""
        with db.connect(self.dsn) as conn:
            return db.read_offsets(conn, self.schema)
