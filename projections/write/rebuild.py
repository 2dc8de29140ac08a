"""Rebuild: replay every topic into a fresh schema, compare checksums, swap atomically.

Readers always address the live schema by name; the swap renames schemas inside one
transaction while holding the live projector's lock, so a read sees the old projection
or the new one, never a half-built one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row

from processors.ports import DeadLetterSink, LogReader
from projections import db
from projections.db import LIVE_SCHEMA
from projections.stores.taxonomy import copy_taxonomy
from projections.write.checksum import schema_checksum
from projections.write.migrate import migrate_projection
from projections.write.projector import Projector, ProjectorStats, schema_lock_key
from schemas.codec import EventCodec


@dataclass
class RebuildReport:
    events: int
    seconds: float
    events_per_s: float
    checksum_live: str
    checksum_rebuilt: str
    equal: bool
    swapped: bool
    schema: str
    # Records the replay could not apply (decode or database errors): in `rejected_records`, and
    # dead-lettered by the live projector when it met them, so the rebuild went on past them.
    rejected: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rebuild(
    dsn: str,
    log: LogReader,
    codec: EventCodec,
    live: str = LIVE_SCHEMA,
    swap: bool = True,
    dead_letters: DeadLetterSink | None = None,
    on_batch: Callable[[ProjectorStats], None] | None = None,
) -> RebuildReport:
    stamp = time.strftime("%Y%m%d%H%M%S")
    fresh = f"{live}_rebuild_{stamp}"
    old = f"{live}_old_{stamp}"
    with db.open_connection(dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(fresh)))
        migrate_projection(admin, fresh)
        migrate_projection(admin, live)
        # Reference data, not events: the rebuilt schema gets the live one's taxonomy, row for row.
        copy_taxonomy(admin, live, fresh)
    # The live projector's offsets are the targets: the replay reads at least that far.
    with db.connect(dsn) as conn:
        targets = {tp: off - 1 for tp, off in db.read_offsets(conn, live).items()}
    # The replay never dead-letters: the live projector already did, and those letters are in the log.
    replay = Projector(dsn, log, codec, schema=fresh, dead_letters=None)
    started = time.perf_counter()
    stats = replay.run(targets=targets, on_batch=on_batch)
    seconds = time.perf_counter() - started
    for _attempt in range(10):
        _align(dsn, log, codec, live, fresh, stats, dead_letters)
        with db.open_connection(dsn, autocommit=True, row_factory=dict_row) as conn, conn.transaction():
            # Holding the live projector's lock freezes it; if it moved since _align, go again.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (schema_lock_key(live),))
            if db.read_offsets(conn, live) != db.read_offsets(conn, fresh):
                continue
            checksum_live = schema_checksum(conn, live)
            checksum_rebuilt = schema_checksum(conn, fresh)
            if swap:
                conn.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(live), sql.Identifier(old))
                )
                conn.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                        sql.Identifier(fresh), sql.Identifier(live)
                    )
                )
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(old)))
            else:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(fresh)))
            break
    else:
        raise RuntimeError("the live projection kept moving; rebuild could not reach the same offsets")
    return RebuildReport(
        events=stats.events,
        seconds=round(seconds, 3),
        events_per_s=round(stats.events / seconds, 1) if seconds > 0 else 0.0,
        checksum_live=checksum_live,
        checksum_rebuilt=checksum_rebuilt,
        equal=checksum_live == checksum_rebuilt,
        swapped=swap,
        schema=live,
        rejected=stats.dead_lettered,
    )


def _align(
    dsn: str,
    log: LogReader,
    codec: EventCodec,
    live: str,
    fresh: str,
    stats: ProjectorStats,
    dead_letters: DeadLetterSink | None,
) -> None:
    """Bring the live projection and the rebuilt one to the same offsets (whichever is behind)."""
    live_projector = Projector(dsn, log, codec, schema=live, dead_letters=dead_letters)
    fresh_projector = Projector(dsn, log, codec, schema=fresh)
    for _ in range(5):
        with db.connect(dsn) as conn:
            live_off = db.read_offsets(conn, live)
            fresh_off = db.read_offsets(conn, fresh)
        if live_off == fresh_off:
            return
        behind_fresh = {tp: off - 1 for tp, off in live_off.items() if fresh_off.get(tp, 0) < off}
        behind_live = {tp: off - 1 for tp, off in fresh_off.items() if live_off.get(tp, 0) < off}
        if behind_fresh:
            stats.events += fresh_projector.run(targets=behind_fresh).events
        if behind_live:
            live_projector.run(targets=behind_live)
