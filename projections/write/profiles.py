"""Fold profile events into `profiles` (current document), `profile_versions` (every one) and
`profile_atoms` (the current version's experience atoms, without embeddings)."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from processors.sensitive.shredding import Unreadable, unseal
from projections.stores.keys import is_erased, key_in
from projections.write.atoms import current_schema, profile_or_none, project_atoms
from schemas.models import ProfileEvent


def apply_profiles(conn: psycopg.Connection[Any], events: list[ProfileEvent]) -> None:
    if not events:
        return
    schema = current_schema(conn)
    with conn.cursor() as cur:
        for e in events:
            # An erased profile's key is gone: its sealed events stay in the log, unreadable, and
            # are not projected (so a rebuild reproduces the erased state).
            if is_erased(conn, e.profile_id):
                continue
            try:
                parsed = json.loads(unseal(key_in(conn, e.profile_id), e.profile_id, e.document))
            except Unreadable:
                continue
            document = Jsonb(parsed)
            cur.execute(
                "INSERT INTO profile_versions (profile_id, version, event_id, content_hash, document, occurred_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (e.profile_id, e.version, e.meta.event_id, e.content_hash, document, e.meta.occurred_at),
            )
            # Log order per profile is the partition's order: the later event always wins.
            cur.execute(
                "INSERT INTO profiles (profile_id, version, content_hash, document, updated_at, last_event_id) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (profile_id) DO UPDATE SET version = EXCLUDED.version, "
                "content_hash = EXCLUDED.content_hash, document = EXCLUDED.document, "
                "updated_at = EXCLUDED.updated_at, last_event_id = EXCLUDED.last_event_id",
                (e.profile_id, e.version, e.content_hash, document, e.meta.occurred_at, e.meta.event_id),
            )
            project_atoms(conn, e.profile_id, e.version, profile_or_none(e.profile_id, parsed), schema=schema)
