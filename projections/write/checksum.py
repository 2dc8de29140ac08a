"""A deterministic checksum of a projection schema: equal state <=> equal checksum."""

from __future__ import annotations

import hashlib
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import tuple_row

# Table -> the ordering that makes its rows' sequence deterministic (its primary key).
TABLES: dict[str, tuple[str, ...]] = {
    "audit_log": ("event_id",),
    "event_duplicates": ("topic", "partition", "offset"),
    "rejected_records": ("topic", "partition", "offset"),
    "projector_offsets": ("topic", "partition"),
    "postings": ("posting_id",),
    "posting_versions": ("posting_id", "version"),
    "runs": ("run_id",),
    "decisions": ("event_id",),
    "derivations": ("posting_id", "version"),
    "derivation_heads": ("posting_id",),
    "requirements": ("posting_id", "version", "idx", "alt"),
    "taxonomy_skills": ("code",),
    "taxonomy_edges": ("from_code", "to_code"),
    "profiles": ("profile_id",),
    "profile_versions": ("profile_id", "version"),
    "matches": ("profile_id", "posting_id"),
    "match_history": ("event_id",),
    "profile_atoms": ("profile_id", "atom_id"),
    "jury_verdicts": ("match_event_id",),
    "feedback": ("event_id",),
    "qa_findings": ("finding_id",),
    "api_tokens": ("token_id",),
    "match_stages": ("profile_id", "posting_id"),
    "stage_history": ("event_id",),
    "access_reads": ("event_id",),
    "erasures": ("profile_id",),
}


# Tables whose rows also hold a rebuildable index (vectors filled on demand): hash these columns only.
COLUMNS: dict[str, tuple[str, ...]] = {
    "profile_atoms": (
        "profile_id", "atom_id", "version", "title", "text", "source", "domain", "tags", "started", "ended",
        "verified", "content_hash",
    ),
}  # fmt: skip


def table_checksums(conn: psycopg.Connection[Any], schema: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with conn.transaction():
        # Text forms of timestamps depend on the session's zone: pin it.
        conn.execute("SET LOCAL TIME ZONE 'UTC'")
        conn.execute("SET LOCAL extra_float_digits = 3")
        for table, order in TABLES.items():
            row = (
                sql.SQL("ROW({})").format(
                    sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in COLUMNS[table])
                )
                if table in COLUMNS
                else sql.SQL("t")
            )
            query = sql.SQL(
                "SELECT count(*) AS n, md5(coalesce(string_agg(md5({}::text), '' ORDER BY {}), '')) AS h "
                "FROM {}.{} AS t"
            ).format(
                row,
                sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in order),
                sql.Identifier(schema),
                sql.Identifier(table),
            )
            with conn.cursor(row_factory=tuple_row) as cur:
                n, h = cur.execute(query).fetchone() or (0, "")
            out[table] = f"{n}:{h}"
    return out


def schema_checksum(conn: psycopg.Connection[Any], schema: str) -> str:
    parts = table_checksums(conn, schema)
    return hashlib.sha256("|".join(f"{k}={v}" for k, v in parts.items()).encode()).hexdigest()
