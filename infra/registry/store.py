"""Schema registry storage in PostgreSQL: global schema ids, subject versions, compatibility.

Every method opens its own short-lived connection, so one store may be shared by threads and
several processes may use the same database. Registration runs in one transaction under an
advisory lock, so concurrent registrations never race for ids or version numbers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import fastavro
import psycopg
from psycopg.rows import TupleRow

from projections.write.migrate import MIGRATION_LOCK
from schemas import compat

DEFAULT_LEVEL = "FULL_TRANSITIVE"
SCHEMA_TYPE = "AVRO"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")

# config row holding the global level: no real subject is empty
_GLOBAL = ""
# one key for every registry write: registrations are rare, and one lock keeps it simple
_LOCK_KEY = 0x7475_7269_6E67_5352  # "turingSR"

Version = int | Literal["latest"]


class RegistryError(Exception):
    """Base of the errors the registry reports to its callers."""


class InvalidSchema(RegistryError):
    pass


class IncompatibleSchema(RegistryError):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class InvalidCompatibilityLevel(RegistryError):
    pass


class SchemaNotFound(RegistryError, LookupError):
    pass


class SubjectNotFound(RegistryError):
    pass


class VersionNotFound(RegistryError):
    pass


@dataclass(frozen=True)
class RegisteredVersion:
    subject: str
    version: int
    id: int
    schema: str


@dataclass(frozen=True)
class _Candidate:
    text: str
    parsed: object
    fingerprint: str


def _candidate(schema_str: str) -> _Candidate:
    try:
        parsed = json.loads(schema_str)
    except (TypeError, json.JSONDecodeError) as exc:
        raise InvalidSchema(f"Invalid schema: not JSON: {exc}") from exc
    try:
        fastavro.parse_schema(parsed)
        compat.validate(parsed)
    except Exception as exc:  # fastavro raises several unrelated types for bad schemas
        raise InvalidSchema(f"Invalid schema: {exc}") from exc
    canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(f"{SCHEMA_TYPE}:{canonical}".encode()).hexdigest()
    return _Candidate(schema_str, parsed, digest)


def _normalise_level(level: str) -> str:
    upper = level.upper() if isinstance(level, str) else ""
    if upper not in compat.LEVELS:
        raise InvalidCompatibilityLevel(
            f"Invalid compatibility level {level!r}; valid levels are {', '.join(compat.LEVELS)}"
        )
    return upper


_VERSION_SELECT = """
    SELECT v.subject, v.version, s.id, s.schema
    FROM registry.subject_versions v JOIN registry.schemas s ON s.id = v.schema_id
    WHERE NOT v.deleted
"""


def _row(row: tuple[Any, ...]) -> RegisteredVersion:
    return RegisteredVersion(subject=str(row[0]), version=int(row[1]), id=int(row[2]), schema=str(row[3]))


def migrate_registry(dsn: str) -> None:
    """Create the registry's tables, serialised with the projection migrations."""
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(SCHEMA_SQL.read_text())


class RegistryStore:
    def __init__(self, dsn: str) -> None:
        self._dsn = dsn

    def _connect(self) -> psycopg.Connection[TupleRow]:
        # used as a context manager: commit on success, rollback on error, then close
        return psycopg.connect(self._dsn)

    def ensure_schema(self) -> None:
        with self._connect() as conn:
            # concurrent CREATE ... IF NOT EXISTS can still collide in the catalogs
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            conn.execute(SCHEMA_SQL.read_text())

    # --- writes ---------------------------------------------------------------------------

    def register(self, subject: str, schema_str: str) -> int:
        """The global id of `schema_str` under `subject`, adding a version if it is new there."""
        candidate = _candidate(schema_str)
        with self._connect() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            live = self._live_versions(conn, subject)
            known = self._schema_id(conn, candidate.fingerprint)
            if known is not None and any(v.id == known for v in live):
                return known
            level = self._level(conn, subject)
            messages = compat.check(candidate.parsed, [json.loads(v.schema) for v in live], level)
            if messages:
                raise IncompatibleSchema(messages)
            if known is None:
                inserted = conn.execute(
                    "INSERT INTO registry.schemas (schema_type, schema, canonical, fingerprint)"
                    " VALUES (%s, %s, %s, %s) RETURNING id",
                    (
                        SCHEMA_TYPE,
                        candidate.text,
                        json.dumps(candidate.parsed, sort_keys=True, separators=(",", ":")),
                        candidate.fingerprint,
                    ),
                ).fetchone()
                assert inserted is not None
                known = int(inserted[0])
            # versions are never reused, even after a (soft) delete
            conn.execute(
                "INSERT INTO registry.subject_versions (subject, version, schema_id)"
                " SELECT %s, coalesce(max(version), 0) + 1, %s"
                " FROM registry.subject_versions WHERE subject = %s",
                (subject, known, subject),
            )
            return known

    def set_config(self, subject: str | None, level: str) -> str:
        normalised = _normalise_level(level)
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO registry.config (subject, compatibility) VALUES (%s, %s)"
                " ON CONFLICT (subject) DO UPDATE"
                " SET compatibility = excluded.compatibility, updated_at = now()",
                (subject or _GLOBAL, normalised),
            )
        return normalised

    # --- reads ----------------------------------------------------------------------------

    def schema_by_id(self, schema_id: int) -> str:
        with self._connect() as conn:
            row = conn.execute("SELECT schema FROM registry.schemas WHERE id = %s", (schema_id,)).fetchone()
        if row is None:
            raise SchemaNotFound(f"Schema {schema_id} not found")
        return str(row[0])

    def usages(self, schema_id: int) -> list[RegisteredVersion]:
        """The live subject versions that use a schema id."""
        with self._connect() as conn:
            if not self._schema_exists(conn, schema_id):
                raise SchemaNotFound(f"Schema {schema_id} not found")
            rows = conn.execute(
                _VERSION_SELECT + " AND s.id = %s ORDER BY v.subject, v.version", (schema_id,)
            ).fetchall()
        return [_row(r) for r in rows]

    def subjects(self) -> list[str]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT DISTINCT subject FROM registry.subject_versions WHERE NOT deleted ORDER BY subject"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def versions(self, subject: str) -> list[int]:
        with self._connect() as conn:
            live = self._live_versions(conn, subject)
        if not live:
            raise SubjectNotFound(f"Subject '{subject}' not found.")
        return [v.version for v in live]

    def version(self, subject: str, version: Version) -> RegisteredVersion:
        """One version of a subject; "latest" (or -1, as Confluent allows) is the newest."""
        with self._connect() as conn:
            live = self._live_versions(conn, subject)
        if not live:
            raise SubjectNotFound(f"Subject '{subject}' not found.")
        if version in ("latest", -1):
            return live[-1]
        for v in live:
            if v.version == version:
                return v
        raise VersionNotFound(f"Version {version} not found.")

    def lookup(self, subject: str, schema_str: str) -> RegisteredVersion:
        """The version of `subject` holding this schema (same canonical form)."""
        candidate = _candidate(schema_str)
        with self._connect() as conn:
            live = self._live_versions(conn, subject)
            known = self._schema_id(conn, candidate.fingerprint)
        if not live:
            raise SubjectNotFound(f"Subject '{subject}' not found.")
        for v in live:
            if v.id == known:
                return v
        raise SchemaNotFound("Schema not found")

    def test_compatibility(self, subject: str, schema_str: str, version: Version | None = None) -> list[str]:
        """Incompatibilities of `schema_str` with one version, or (None) with the subject's
        versions as its level requires; empty means compatible."""
        candidate = _candidate(schema_str)
        level = self.get_config(subject)
        if version is None:
            with self._connect() as conn:
                live = self._live_versions(conn, subject)
        else:
            live = [self.version(subject, version)]
        return compat.check(candidate.parsed, [json.loads(v.schema) for v in live], level)

    def get_config(self, subject: str | None = None) -> str:
        """The subject's level, else the global one, else FULL_TRANSITIVE."""
        with self._connect() as conn:
            return self._level(conn, subject)

    # --- helpers (inside a caller's connection) -------------------------------------------

    @staticmethod
    def _live_versions(conn: psycopg.Connection[TupleRow], subject: str) -> list[RegisteredVersion]:
        rows = conn.execute(_VERSION_SELECT + " AND v.subject = %s ORDER BY v.version", (subject,)).fetchall()
        return [_row(r) for r in rows]

    @staticmethod
    def _schema_id(conn: psycopg.Connection[TupleRow], fingerprint: str) -> int | None:
        row = conn.execute(
            "SELECT id FROM registry.schemas WHERE fingerprint = %s", (fingerprint,)
        ).fetchone()
        return None if row is None else int(row[0])

    @staticmethod
    def _schema_exists(conn: psycopg.Connection[TupleRow], schema_id: int) -> bool:
        row = conn.execute("SELECT 1 FROM registry.schemas WHERE id = %s", (schema_id,)).fetchone()
        return row is not None

    @staticmethod
    def _level(conn: psycopg.Connection[TupleRow], subject: str | None) -> str:
        scopes = [subject, _GLOBAL] if subject else [_GLOBAL]
        rows = conn.execute(
            "SELECT subject, compatibility FROM registry.config WHERE subject = ANY(%s)", (scopes,)
        ).fetchall()
        found = {str(r[0]): str(r[1]) for r in rows}
        for scope in scopes:
            if scope in found:
                return found[scope]
        return DEFAULT_LEVEL
