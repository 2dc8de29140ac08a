"""Reads of the profiles projection: what change detection needs, and one profile's document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg import sql

from processors.intake.profiles import KnownProfile
from projections import db


def known_profiles(dsn: str, schema: str) -> dict[str, KnownProfile]:
    """Version, content hash and last event of every projected profile."""
    with db.connect(dsn) as conn:
        rows = conn.execute(
            sql.SQL("SELECT profile_id, version, content_hash, last_event_id FROM {}.profiles").format(
                sql.Identifier(schema)
            )
        ).fetchall()
    return {
        r["profile_id"]: KnownProfile(r["version"], r["content_hash"], str(r["last_event_id"])) for r in rows
    }


def profile_document(conn: psycopg.Connection[Any], schema: str, profile_id: str) -> dict[str, Any] | None:
    """The profile's projected document, or None when no such profile is projected."""
    statement = sql.SQL("SELECT document FROM {}.profiles WHERE profile_id = %s").format(
        sql.Identifier(schema)
    )
    row = conn.execute(statement, (profile_id,)).fetchone()
    if row is None:
        return None
    document = row["document"] if isinstance(row, Mapping) else row[0]
    return dict(json.loads(document) if isinstance(document, str) else document)
