"""The embedded key store: per-profile keys in `turing_keys.profile_keys`, outside every projection
schema (a rebuild cannot bring a destroyed key back). Production swaps in a KMS behind the same
port (processors.sensitive.shredding.KeyStore; docs/access.md)."""

from __future__ import annotations

from typing import Any

import psycopg

from processors.sensitive.shredding import new_key
from projections import db


def key_in(conn: psycopg.Connection[Any], profile_id: str) -> bytes | None:
    row = conn.execute(
        "SELECT key FROM turing_keys.profile_keys WHERE profile_id = %s", (profile_id,)
    ).fetchone()
    if row is None:
        return None
    key = row["key"] if isinstance(row, dict) else row[0]
    return bytes(key)


def is_erased(conn: psycopg.Connection[Any], profile_id: str) -> bool:
    """In the projection the connection's search path names (the projector's own schema)."""
    return conn.execute("SELECT 1 FROM erasures WHERE profile_id = %s", (profile_id,)).fetchone() is not None


class PostgresKeyStore:
    def __init__(self, dsn: str):
        self.dsn = dsn

    def key_for(self, profile_id: str, create: bool = False) -> bytes | None:
        with db.connect(self.dsn) as conn:
            if create:
                conn.execute(
                    "INSERT INTO turing_keys.profile_keys (profile_id, key) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    (profile_id, new_key()),
                )
                conn.commit()
            return key_in(conn, profile_id)

    def destroy(self, profile_id: str) -> bool:
        with db.connect(self.dsn) as conn:
            gone = conn.execute(
                "DELETE FROM turing_keys.profile_keys WHERE profile_id = %s", (profile_id,)
            ).rowcount
            conn.commit()
        return gone > 0
