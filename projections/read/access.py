"""Reads behind access control: the viewer a token stands for, a pair's recorded stage, the tokens
and the access log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from processors.sensitive.access import Role, Viewer, token_digest
from processors.sensitive.model import Stage
from projections import db
from projections.db import LIVE_SCHEMA


def _q(schema: str, text: str) -> sql.Composed:
    return sql.SQL(text).format(s=sql.Identifier(schema))


def viewer_for(dsn: str, token: str, now: datetime, schema: str = LIVE_SCHEMA) -> Viewer | None:
    """The viewer of a live token (issued, not revoked, not expired); None for any other string."""
    with db.connect(dsn) as conn:
        row = conn.execute(
            _q(
                schema,
                "SELECT viewer, role, profile_id, posting_owner, posting_id FROM {s}.api_tokens "
                "WHERE token_sha256 = %s AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > %s)",
            ),
            (token_digest(token), now),
        ).fetchone()
    if row is None:
        return None
    return Viewer(
        viewer=row["viewer"],
        role=Role(row["role"]),
        profile_id=row["profile_id"],
        posting_owner=row["posting_owner"],
        posting_id=row["posting_id"],
    )


def stages(
    conn: psycopg.Connection[Any], schema: str, profile_id: str, posting_ids: list[str]
) -> dict[str, Stage]:
    """The recorded stage per posting; a pair nobody moved is at discovery."""
    rows = conn.execute(
        _q(
            schema,
            "SELECT posting_id, stage_rank FROM {s}.match_stages WHERE profile_id = %s AND posting_id = ANY(%s)",
        ),
        (profile_id, posting_ids),
    )
    found = {r["posting_id"]: Stage(r["stage_rank"]) for r in rows}
    return {pid: found.get(pid, Stage.DISCOVERY) for pid in posting_ids}


def recorded_stage(dsn: str, profile_id: str, posting_id: str, schema: str = LIVE_SCHEMA) -> Stage:
    with db.connect(dsn) as conn:
        return stages(conn, schema, profile_id, [posting_id])[posting_id]


def posting_company(dsn: str, posting_id: str, schema: str = LIVE_SCHEMA) -> str | None:
    with db.connect(dsn) as conn:
        row = conn.execute(
            _q(schema, "SELECT company FROM {s}.postings WHERE posting_id = %s"), (posting_id,)
        ).fetchone()
    return None if row is None else str(row["company"])


def list_tokens(dsn: str, viewer: str | None = None, schema: str = LIVE_SCHEMA) -> list[dict[str, Any]]:
    """Every token's public handle and scope, never its hash."""
    with db.connect(dsn) as conn:
        return list(
            conn.execute(
                _q(
                    schema,
                    "SELECT token_id, viewer, role, profile_id, posting_owner, posting_id, issued_at, expires_at, "
                    "revoked_at, issued_by FROM {s}.api_tokens WHERE (%s::text IS NULL OR viewer = %s) "
                    "ORDER BY issued_at, token_id",
                ),
                (viewer, viewer),
            )
        )


def token_exists(dsn: str, token_id: str, schema: str = LIVE_SCHEMA) -> dict[str, Any] | None:
    with db.connect(dsn) as conn:
        return conn.execute(
            _q(schema, "SELECT token_id, viewer, role, revoked_at FROM {s}.api_tokens WHERE token_id = %s"),
            (token_id,),
        ).fetchone()


def access_log(
    dsn: str,
    viewer: str | None = None,
    profile_id: str | None = None,
    limit: int = 1000,
    schema: str = LIVE_SCHEMA,
) -> list[dict[str, Any]]:
    """Reads of sensitive fields, newest first."""
    with db.connect(dsn) as conn:
        return list(
            conn.execute(
                _q(
                    schema,
                    "SELECT occurred_at, viewer, role, profile_id, posting_id, field, stage, revealed, strategy, "
                    "purpose, reason, channel, event_id FROM {s}.access_reads "
                    "WHERE (%s::text IS NULL OR viewer = %s) AND (%s::text IS NULL OR profile_id = %s) "
                    "ORDER BY occurred_at DESC, event_id LIMIT %s",
                ),
                (viewer, viewer, profile_id, profile_id, limit),
            )
        )


@dataclass(frozen=True)
class ErasureState:
    """What an erasure needs to know of a profile, read in one transaction."""

    known: bool  # the profile is projected
    erased_at: datetime | None  # set once an erasure was recorded
    matches: list[tuple[str, str]]  # (posting_id, event_id) of its live matches, by posting


def erasure_state(dsn: str, profile_id: str, schema: str = LIVE_SCHEMA) -> ErasureState:
    with db.connect(dsn) as conn:
        known = conn.execute(_q(schema, "SELECT 1 FROM {s}.profiles WHERE profile_id = %s"), (profile_id,))
        known_row = known.fetchone()
        done = conn.execute(
            _q(schema, "SELECT erased_at FROM {s}.erasures WHERE profile_id = %s"), (profile_id,)
        ).fetchone()
        pairs = conn.execute(
            _q(schema, "SELECT posting_id, event_id FROM {s}.matches WHERE profile_id = %s ORDER BY 1"),
            (profile_id,),
        ).fetchall()
    return ErasureState(
        known=known_row is not None,
        erased_at=None if done is None else done["erased_at"],
        matches=[(p["posting_id"], str(p["event_id"])) for p in pairs],
    )
