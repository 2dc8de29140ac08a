"""Fold match events into `matches` (latest per pair) and `match_history` (every one)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from processors.matching.payload import detail_json
from schemas.models import MatchEvent

# A match taken back (its profile erased): downstream products drop the pair.
WITHDRAWN = "match.withdrawn"

_LATEST = (
    "INSERT INTO matches (profile_id, posting_id, event_id, profile_version, derivation_version, "
    "profile_event_id, derivation_event_id, fit_total, stretch_total, practical_total, fit_label, blocked, "
    "ghost_score, recommendation, detail, supersedes, scored_at) VALUES "
    "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
    "ON CONFLICT (profile_id, posting_id) DO UPDATE SET event_id = EXCLUDED.event_id, "
    "profile_version = EXCLUDED.profile_version, derivation_version = EXCLUDED.derivation_version, "
    "profile_event_id = EXCLUDED.profile_event_id, derivation_event_id = EXCLUDED.derivation_event_id, "
    "fit_total = EXCLUDED.fit_total, stretch_total = EXCLUDED.stretch_total, "
    "practical_total = EXCLUDED.practical_total, fit_label = EXCLUDED.fit_label, blocked = EXCLUDED.blocked, "
    "ghost_score = EXCLUDED.ghost_score, recommendation = EXCLUDED.recommendation, detail = EXCLUDED.detail, "
    "supersedes = EXCLUDED.supersedes, scored_at = EXCLUDED.scored_at"
)
_HISTORY = (
    "INSERT INTO match_history (event_id, profile_id, posting_id, profile_version, derivation_version, "
    "fit_total, stretch_total, recommendation, supersedes, scored_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
    "ON CONFLICT DO NOTHING"
)


def apply_matches(conn: psycopg.Connection[Any], events: list[MatchEvent]) -> None:
    if not events:
        return
    erased = {
        r["profile_id"] if isinstance(r, dict) else r[0]
        for r in conn.execute(
            "SELECT profile_id FROM erasures WHERE profile_id = ANY(%s)",
            (sorted({e.profile_id for e in events}),),
        )
    }
    # An erased profile's matches stay out, whenever its erasure is applied (rebuilds included).
    events = [e for e in events if e.profile_id not in erased]
    withdrawn = [e for e in events if e.meta.event_type == WITHDRAWN]
    events = [e for e in events if e.meta.event_type != WITHDRAWN]
    with conn.cursor() as cur:
        for w in withdrawn:
            cur.execute(
                "DELETE FROM matches WHERE profile_id = %s AND posting_id = %s", (w.profile_id, w.posting_id)
            )
        # Matches are keyed by profile: the log's order per profile is the order of application.
        for e in events:
            cur.execute(
                _LATEST,
                (
                    e.profile_id, e.posting_id, e.meta.event_id, e.profile_version, e.derivation_version,
                    e.profile_event_id, e.derivation_event_id, e.fit_total, e.stretch_total, e.practical_total,
                    e.fit_label, e.blocked, e.ghost_score, e.recommendation, Jsonb(detail_json(e)),
                    e.supersedes, e.meta.occurred_at,
                ),
            )  # fmt: skip
        cur.executemany(
            _HISTORY,
            [
                (e.meta.event_id, e.profile_id, e.posting_id, e.profile_version, e.derivation_version, e.fit_total,
                 e.stretch_total, e.recommendation, e.supersedes, e.meta.occurred_at)
                for e in events
            ],
        )  # fmt: skip
