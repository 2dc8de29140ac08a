"""Fold token, stage, access and erasure events into `api_tokens`, `match_stages` (+ `stage_history`),
`access_reads` and `erasures` (an erasure also drops every row the projection holds about the profile)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from processors.sensitive.model import Stage
from schemas.models import AccessEvent, ErasureEvent, Event, StageEvent, TokenEvent

_STAGE = (
    "INSERT INTO match_stages (profile_id, posting_id, stage, stage_rank, changed_at, changed_by, changed_role, "
    "event_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (profile_id, posting_id) DO UPDATE SET "
    "stage = EXCLUDED.stage, stage_rank = EXCLUDED.stage_rank, changed_at = EXCLUDED.changed_at, "
    "changed_by = EXCLUDED.changed_by, changed_role = EXCLUDED.changed_role, event_id = EXCLUDED.event_id "
    # Stages only move forward: a late or racing event that would move one back is history only.
    "WHERE match_stages.stage_rank < EXCLUDED.stage_rank"
)


# What a projection holds about a profile; the access log keeps who read what (ids only).
_ERASED_TABLES = ("profiles", "profile_versions", "profile_atoms", "matches", "match_history", "match_stages")


def apply_erasures(conn: psycopg.Connection[Any], events: list[Event]) -> None:
    for e in events:
        if not isinstance(e, ErasureEvent):
            continue
        for table in _ERASED_TABLES:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE profile_id = %s").format(sql.Identifier(table)), (e.profile_id,)
            )
        conn.execute(
            "INSERT INTO erasures (profile_id, event_id, reason, requested_by, erased_at) VALUES (%s,%s,%s,%s,%s) "
            "ON CONFLICT DO NOTHING",
            (e.profile_id, e.meta.event_id, e.reason, e.requested_by, e.meta.occurred_at),
        )


def apply_access(conn: psycopg.Connection[Any], events: list[Event]) -> None:
    apply_erasures(conn, events)
    tokens = [e for e in events if isinstance(e, TokenEvent)]
    stages = [e for e in events if isinstance(e, StageEvent)]
    reads = [e for e in events if isinstance(e, AccessEvent)]
    if not (tokens or stages or reads):
        return
    with conn.cursor() as cur:
        for t in tokens:
            if t.meta.event_type == "token.revoked":
                cur.execute(
                    "UPDATE api_tokens SET revoked_at = %s WHERE token_id = %s AND revoked_at IS NULL",
                    (t.meta.occurred_at, t.token_id),
                )
                continue
            cur.execute(
                "INSERT INTO api_tokens (token_id, token_sha256, viewer, role, profile_id, posting_owner, "
                "posting_id, issued_at, expires_at, issued_by, event_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                "ON CONFLICT DO NOTHING",
                (
                    t.token_id, t.token_sha256, t.viewer, t.role, t.profile_id, t.posting_owner, t.posting_id,
                    t.meta.occurred_at, t.expires_at, t.issued_by, t.meta.event_id,
                ),
            )  # fmt: skip
        for s in stages:
            rank = int(Stage[s.to_stage.upper()])
            cur.execute(
                _STAGE,
                (s.profile_id, s.posting_id, s.to_stage, rank, s.meta.occurred_at, s.actor, s.actor_role,
                 s.meta.event_id),
            )  # fmt: skip
        cur.executemany(
            "INSERT INTO stage_history (event_id, profile_id, posting_id, from_stage, to_stage, actor, actor_role, "
            "channel, occurred_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            [
                (s.meta.event_id, s.profile_id, s.posting_id, s.from_stage, s.to_stage, s.actor, s.actor_role,
                 s.channel, s.meta.occurred_at)
                for s in stages
            ],
        )  # fmt: skip
        cur.executemany(
            "INSERT INTO access_reads (event_id, viewer, role, profile_id, posting_id, field, stage, revealed, "
            "strategy, purpose, reason, channel, occurred_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT DO NOTHING",
            [
                (a.meta.event_id, a.viewer_id, a.role, a.profile_id, a.posting_id, a.field, a.stage, a.revealed,
                 a.strategy, a.purpose, a.reason, a.channel, a.meta.occurred_at)
                for a in reads
            ],
        )  # fmt: skip
