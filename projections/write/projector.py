"""The projector: consumes the topics and writes projections plus its offsets in one transaction.

Exactly-once effects without Kafka transactions: offsets live beside the rows, and an
event id already in the audit log is recorded as a duplicate, never applied twice. The log
comes in through `processors.ports.LogReader` (infra hands it the Kafka one), so this module
knows records and offsets, never a broker.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from processors.ports import DeadLetterSink, LogReader, LogRecord
from projections import db
from projections.db import LIVE_SCHEMA, check_schema_name
from projections.jsonable import jsonable
from projections.write.access import apply_access
from projections.write.matches import apply_matches
from projections.write.pipeline import apply_pipeline
from projections.write.postings import reduce_posting
from projections.write.profiles import apply_profiles
from projections.write.quality import apply_quality
from schemas.codec import EventCodec
from schemas.models import (
    DeadLetter,
    DecisionEvent,
    DerivationEvent,
    Event,
    MatchEvent,
    Meta,
    PostingEvent,
    Producer,
    ProfileEvent,
    RunEvent,
    deterministic_id,
    event_meta,
    model_for,
)
from schemas.topics import CATALOGUE
from schemas.wire import WireFormatError

COMPONENT = "projector"
ALL_TOPICS: tuple[str, ...] = tuple(t.name for t in CATALOGUE)
VERSION = "1"

# Raised by a record's own bytes or values, not by the database being away: such a record is
# dead-lettered. Connection loss, lock timeouts and the like propagate, so the batch is retried.
DECODE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError)
POISON_ERRORS = (
    psycopg.DataError,
    psycopg.IntegrityError,
    psycopg.errors.ProgramLimitExceeded,
    *DECODE_ERRORS,
    AttributeError,
)


def schema_lock_key(schema: str) -> int:
    # One writer per projection schema at a time; rebuild's swap takes the same lock.
    return zlib.crc32(f"turing-projection:{schema}".encode())


@dataclass
class ProjectorStats:
    events: int = 0
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    batches: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)


class Projector:
    def __init__(
        self,
        dsn: str,
        log: LogReader,
        codec: EventCodec,
        schema: str = LIVE_SCHEMA,
        dead_letters: DeadLetterSink | None = None,
        topics: tuple[str, ...] = ALL_TOPICS,
    ):
        self.dsn = dsn
        self.log = log
        self.codec = codec
        self.schema = check_schema_name(schema)
        self.dead_letters = dead_letters
        self.topics = topics

    def connect(self) -> psycopg.Connection[dict[str, Any]]:
        return db.connect(self.dsn)

    def stored_offsets(self, conn: psycopg.Connection[Any]) -> dict[tuple[str, int], int]:
        offsets = db.read_offsets(conn, self.schema)
        conn.commit()
        return offsets

    def starts(self, conn: psycopg.Connection[Any]) -> dict[tuple[str, int], int]:
        stored = self.stored_offsets(conn)
        starts: dict[tuple[str, int], int] = {}
        for name, partitions in self.log.partitions(self.topics).items():
            for p in partitions:
                starts[(name, p)] = stored.get((name, p), 0)
        return starts

    def run(
        self,
        targets: dict[tuple[str, int], int] | None = None,
        stop: threading.Event | None = None,
        on_batch: Callable[[ProjectorStats], None] | None = None,
    ) -> ProjectorStats:
        """Project until caught up (an idle poll past `targets`), or until `stop` is set."""
        stats = ProjectorStats()
        with self.connect() as conn:
            for batch in self.log.batches(self.starts(conn), targets, client_id=f"turing-{self.schema}"):
                self.apply_batch(conn, batch, stats)
                if on_batch:
                    on_batch(stats)
                if stop is not None and stop.is_set():
                    break
        return stats

    def apply_batch(
        self, conn: psycopg.Connection[Any], batch: Sequence[LogRecord], stats: ProjectorStats
    ) -> None:
        """One transaction per batch; statements are batched so a round trip is paid per batch, not per event."""
        schema = sql.Identifier(self.schema)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (schema_lock_key(self.schema),))
            conn.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(schema))
            stored = {
                (r["topic"], r["partition"]): r["next_offset"]
                for r in conn.execute("SELECT topic, partition, next_offset FROM projector_offsets")
            }
            advanced: dict[tuple[str, int], int] = {}
            decoded: list[tuple[LogRecord, int, dict[str, Any], Event]] = []
            for rec in batch:
                tp = (rec.topic, rec.partition)
                if rec.offset < stored.get(tp, 0):
                    continue  # applied by an earlier run that committed after we read
                advanced[tp] = rec.offset + 1
                stats.events += 1
                stats.by_topic[rec.topic] = stats.by_topic.get(rec.topic, 0) + 1
                try:
                    if rec.value is None:
                        raise WireFormatError(
                            "the record has no value (a tombstone); Turing topics are never compacted"
                        )
                    schema_id, record = self.codec.decode_record(rec.topic, rec.value)
                    event = model_for(rec.topic).model_validate(record)
                except DECODE_ERRORS as exc:
                    self._reject(conn, rec, f"{type(exc).__name__}: {exc}")
                    stats.dead_lettered += 1
                    continue
                decoded.append((rec, schema_id, record, event))
            self._apply_isolating_poison(conn, decoded, stats)
            if self.dead_letters is not None:
                # Dead letters must be in the log before the offsets that skip their source commit.
                self.dead_letters.flush()
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO projector_offsets (topic, partition, next_offset) VALUES (%s, %s, %s) "
                    "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset",
                    [(t, p, n) for (t, p), n in advanced.items()],
                )
        stats.batches += 1

    def _apply_isolating_poison(
        self,
        conn: psycopg.Connection[Any],
        decoded: list[tuple[LogRecord, int, dict[str, Any], Event]],
        stats: ProjectorStats,
    ) -> None:
        """Apply records in a savepoint; when one of them cannot be applied, roll back and apply
        each half on its own, down to the single bad record, which is dead-lettered. A clean batch
        costs one savepoint, and k bad records about k x log2(batch) more; order is kept, and the
        offsets still commit with the rows."""
        if not decoded:
            return
        try:
            with conn.transaction():
                applied, duplicates = self._apply_events(conn, decoded)
        except POISON_ERRORS as exc:
            if len(decoded) == 1:
                self._reject(conn, decoded[0][0], f"cannot apply: {type(exc).__name__}: {exc}")
                stats.dead_lettered += 1
                return
            middle = len(decoded) // 2
            self._apply_isolating_poison(conn, decoded[:middle], stats)
            self._apply_isolating_poison(conn, decoded[middle:], stats)
            return
        stats.applied += applied
        stats.duplicates += duplicates

    def _apply_events(
        self, conn: psycopg.Connection[Any], decoded: list[tuple[LogRecord, int, dict[str, Any], Event]]
    ) -> tuple[int, int]:
        """Returns (events applied, duplicates recorded)."""
        fresh, duplicates = self._record_audit(conn, decoded)
        self._apply_postings(conn, [e for e in fresh if isinstance(e, PostingEvent)])
        apply_pipeline(conn, [e for e in fresh if isinstance(e, RunEvent | DecisionEvent | DerivationEvent)])
        apply_profiles(conn, [e for e in fresh if isinstance(e, ProfileEvent)])
        apply_matches(conn, [e for e in fresh if isinstance(e, MatchEvent)])
        apply_quality(conn, fresh)
        apply_access(conn, fresh)
        return len(fresh), duplicates

    def _record_audit(
        self,
        conn: psycopg.Connection[Any],
        decoded: list[tuple[LogRecord, int, dict[str, Any], Event]],
    ) -> tuple[list[Event], int]:
        """Insert first sightings into the audit log; record re-deliveries. Returns the events to apply
        and the number of re-deliveries."""
        ids = [str(e.meta.event_id) for _, _, _, e in decoded]
        seen = {
            str(r["event_id"])
            for r in conn.execute("SELECT event_id FROM audit_log WHERE event_id = ANY(%s::uuid[])", (ids,))
        }
        rows, duplicates, fresh = [], [], []
        for rec, schema_id, record, event in decoded:
            meta: Meta = event.meta
            eid = str(meta.event_id)
            if eid in seen:
                duplicates.append((rec.topic, rec.partition, rec.offset, meta.event_id))
                continue
            seen.add(eid)
            fresh.append(event)
            rows.append(
                (
                    meta.event_id,
                    rec.topic,
                    rec.partition,
                    rec.offset,
                    _key_text(rec.key),
                    meta.event_type,
                    meta.occurred_at,
                    meta.producer.component,
                    meta.producer.version,
                    meta.causation_id,
                    meta.correlation_id,
                    meta.run_id,
                    schema_id,
                    hashlib.sha256(rec.value or b"").hexdigest(),
                    Jsonb(jsonable(record)),
                )
            )
        with conn.cursor() as cur:
            cur.executemany(
                'INSERT INTO audit_log (event_id, topic, partition, "offset", key, event_type, occurred_at, '
                "producer_component, producer_version, causation_id, correlation_id, run_id, schema_id, "
                "value_sha256, record) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                rows,
            )
            cur.executemany(
                'INSERT INTO event_duplicates (topic, partition, "offset", event_id) VALUES (%s,%s,%s,%s) '
                "ON CONFLICT DO NOTHING",
                duplicates,
            )
        return fresh, len(duplicates)

    def _apply_postings(self, conn: psycopg.Connection[Any], events: list[PostingEvent]) -> None:
        """Fold the batch's posting events in memory (in log order), then write each posting once."""
        if not events:
            return
        ids = sorted({e.posting_id for e in events})
        current: dict[str, dict[str, Any]] = {
            r["posting_id"]: r
            for r in conn.execute("SELECT * FROM postings WHERE posting_id = ANY(%s)", (ids,))
        }
        touched: set[str] = set()
        versions: list[dict[str, Any]] = []
        for event in events:
            write = reduce_posting(current.get(event.posting_id), event)
            if write is None or write.outcome != "applied":
                continue
            current[event.posting_id] = write.row
            touched.add(event.posting_id)
            if write.version_row is not None:
                versions.append({**write.version_row, "content": Jsonb(write.version_row["content"])})
        if not touched:
            return
        rows = [
            {**current[pid], "field_events": Jsonb(current[pid]["field_events"])} for pid in sorted(touched)
        ]
        with conn.cursor() as cur:
            cur.executemany(_posting_upsert(tuple(rows[0])), [list(r.values()) for r in rows])
            cur.executemany(
                "INSERT INTO posting_versions (posting_id, version, event_id, event_type, content_hash, "
                "content, changed_fields, occurred_at) VALUES (%(posting_id)s, %(version)s, %(event_id)s, "
                "%(event_type)s, %(content_hash)s, %(content)s, %(changed_fields)s, %(occurred_at)s) "
                "ON CONFLICT DO NOTHING",
                versions,
            )

    def _reject(self, conn: psycopg.Connection[Any], rec: LogRecord, error: str) -> None:
        # The error may quote the bad value; Postgres text (and jsonb, for the letter) cannot hold NUL.
        error = error.replace("\x00", "\\u0000")
        dl_id = None
        if rec.topic != "deadletters":
            letter = dead_letter(rec, error, COMPONENT)
            # The id derives from the coordinates, so a replay that sends nothing records the
            # live projector's letter and the rebuilt rows come out equal.
            dl_id = letter.meta.event_id
            if self.dead_letters is not None:
                self.dead_letters.send(letter)
        conn.execute(
            'INSERT INTO rejected_records (topic, partition, "offset", error, dead_letter_event_id) '
            "VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            (rec.topic, rec.partition, rec.offset, error[:2000], dl_id),
        )


def _key_text(key: bytes | None) -> str | None:
    # A readable form only (the letter keeps the bytes); text columns cannot hold NUL.
    return None if key is None else key.decode("utf-8", "replace").replace("\x00", "\\u0000")


@lru_cache(maxsize=8)
def _posting_upsert(cols: tuple[str, ...]) -> sql.Composed:
    return sql.SQL("INSERT INTO postings ({}) VALUES ({}) ON CONFLICT (posting_id) DO UPDATE SET {}").format(
        sql.SQL(", ").join(map(sql.Identifier, cols)),
        sql.SQL(", ").join(sql.Placeholder() * len(cols)),
        sql.SQL(", ").join(
            sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(c), sql.Identifier(c))
            for c in cols
            if c != "posting_id"
        ),
    )


def dead_letter(rec: LogRecord, error: str, processor: str) -> DeadLetter:
    """Deterministic id from the coordinates: a retried dead-lettering is the same event."""
    return DeadLetter(
        meta=event_meta(
            "deadletter.recorded",
            Producer(component=processor, version=VERSION),
            event_id=deterministic_id("deadletter", rec.topic, rec.partition, rec.offset, processor),
        ),
        source_topic=rec.topic,
        source_partition=rec.partition,
        source_offset=rec.offset,
        source_key=rec.key,
        raw_value=rec.value,
        error=error[:10_000],
        processor=processor,
    )
