"""Apply the SQL migrations of a projection schema (the registry's tables are infra.registry's)."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

from processors.taxonomy.model import Taxonomy
from projections import db
from projections.db import LIVE_SCHEMA, check_schema_name
from projections.stores.taxonomy import load_taxonomy

MIGRATIONS = Path(__file__).parent / "migrations"
# Serialises migrations across processes (two `turing up` or test workers at once).
MIGRATION_LOCK = 7_301_001


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS.glob("[0-9]*.sql"))


def migrate_projection(conn: psycopg.Connection, schema: str, taxonomy: Taxonomy | None = None) -> list[str]:
    """Create `schema` if needed and apply the migrations it lacks; returns those applied.

    `taxonomy` (the one the wiring layer chose) fills the taxonomy tables when they are empty."""
    check_schema_name(schema)
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY)")
        done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
        for path in migration_files():
            if path.name in done:
                continue
            conn.execute(path.read_text())
            conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (path.name,))
            applied.append(path.name)
        if taxonomy is not None:
            _seed_taxonomy(conn, schema, taxonomy)
    return applied


def _seed_taxonomy(conn: psycopg.Connection, schema: str, taxonomy: Taxonomy) -> None:
    """Reference data, not events: a fresh schema gets the chosen taxonomy (a rebuild, the live one's)."""
    empty = conn.execute(
        sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {}.taxonomy_skills)").format(sql.Identifier(schema))
    )
    row = empty.fetchone()
    if row is not None and row[0]:
        load_taxonomy(conn, schema, taxonomy)


def migrate_all(dsn: str, schema: str = LIVE_SCHEMA, taxonomy: Taxonomy | None = None) -> list[str]:
    with db.open_connection(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        return migrate_projection(conn, schema, taxonomy)
