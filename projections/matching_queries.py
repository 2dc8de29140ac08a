"""What the matcher reads: profile versions, derivation versions in force, earlier matches,
and candidates (postings sharing taxonomy codes with a profile)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from processors.lily.model import Decomposition
from processors.matching.match import PostingVersion, ProfileVersion, posting_version
from processors.scoring.models import Profile
from processors.taxonomy.model import Taxonomy
from projections.read import pipeline as pipeline_queries


def _q(schema: str, text: str) -> sql.Composed:
    return sql.SQL(text).format(s=sql.Identifier(schema))


def profile_versions(
    conn: psycopg.Connection[Any], schema: str, ids: list[str] | None = None
) -> list[ProfileVersion]:
    where = "" if ids is None else " WHERE profile_id = ANY(%s)"
    rows = conn.execute(
        _q(
            schema,
            "SELECT profile_id, version, last_event_id, document FROM {s}.profiles" + where + " ORDER BY 1",
        ),
        [] if ids is None else [ids],
    )
    return [
        ProfileVersion(
            r["profile_id"], r["version"], str(r["last_event_id"]), Profile.model_validate(r["document"])
        )
        for r in rows
    ]


def posting_versions(
    conn: psycopg.Connection[Any], schema: str, ids: list[str], taxonomy: Taxonomy
) -> list[PostingVersion]:
    """The derivation in force of each open posting, as the scorer's DerivedPosting."""
    derived = pipeline_queries.derivations(conn, schema, ids)
    states = pipeline_queries.posting_states(conn, schema, list(derived))
    out = []
    for pid, d in sorted(derived.items()):
        state = states.get(pid)
        if state is None or state.status != "open":
            continue
        head = conn.execute(
            _q(schema, "SELECT event_id FROM {s}.derivation_heads WHERE posting_id = %s"), (pid,)
        ).fetchone()
        reqs = [Decomposition(text=r["text"], proof_stacks=r["proof_stacks"]) for r in d.requirements]
        event_id = str(head["event_id"]) if head else d.event_id
        out.append(posting_version(pid, d.version, event_id, state.content, reqs, d.ghost_score, taxonomy))
    return out


def open_posting_ids(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    rows = conn.execute(
        _q(
            schema,
            "SELECT d.posting_id FROM {s}.derivations_latest d JOIN {s}.postings p USING (posting_id) "
            "WHERE p.status = 'open' ORDER BY 1",
        )
    )
    return [r["posting_id"] for r in rows]


def postings_sharing_codes(conn: psycopg.Connection[Any], schema: str, codes: list[str], k: int) -> list[str]:
    """Lexical candidates: postings whose mapped skills share a taxonomy L3 category with the
    profile's skills (exact codes and their adjacent skills), most shared first."""
    if not codes:
        return []
    codes = sorted({c[:8] for c in codes})
    rows = conn.execute(
        _q(
            schema,
            "SELECT d.posting_id, count(DISTINCT s ->> 'code') AS shared "
            "FROM {s}.derivations_latest d JOIN {s}.postings p USING (posting_id), "
            "jsonb_array_elements(d.skills) AS s WHERE p.status = 'open' AND left(s ->> 'code', 8) = ANY(%s) "
            "GROUP BY 1 ORDER BY shared DESC, 1 LIMIT %s",
        ),
        (codes, k),
    )
    return [r["posting_id"] for r in rows]


def previous_matches(
    conn: psycopg.Connection[Any], schema: str, profile_ids: list[str], posting_ids: list[str] | None = None
) -> dict[tuple[str, str], tuple[str, str, str]]:
    rows = conn.execute(
        _q(
            schema,
            "SELECT profile_id, posting_id, event_id, profile_event_id, derivation_event_id FROM {s}.matches "
            "WHERE profile_id = ANY(%s) AND (%s::text[] IS NULL OR posting_id = ANY(%s))",
        ),
        (profile_ids, posting_ids, posting_ids),
    )
    return {
        (r["profile_id"], r["posting_id"]): (
            str(r["event_id"]),
            r["profile_event_id"],
            r["derivation_event_id"],
        )
        for r in rows
    }
