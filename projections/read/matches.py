"""Reads of matches: as one viewer may see them (ranked, explained, redacted by the pair's stage), and
what the matcher reads (profile versions, derivation versions in force, earlier matches, candidates).

Scoring used every field; what is shown follows each field's visibility rule (seed 002 §6) at
the stage recorded for the pair (`stage.changed` events), unless the viewer is entitled to every
value (an auditor, the posting's own employer). Every sensitive field read comes back as an
`Access`, which the caller logs as an event. Candidates share taxonomy codes with a profile.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from processors.lily.model import Decomposition
from processors.matching.match import PostingVersion, ProfileVersion, posting_version
from processors.scoring.models import Profile
from processors.sensitive.access import Viewer, shown_stage
from processors.sensitive.model import Access, Stage, default_rules
from processors.sensitive.redact import redact, unredacted
from processors.sensitive.template import render
from processors.taxonomy.model import Taxonomy
from projections import db
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from projections.read import access as access_reads
from projections.read import quality as quality_reads
from projections.read.pipeline import derivations, posting_states
from projections.read.postings import content_rows
from schemas.errors import NotFound


def parse_stage(name: str) -> Stage:
    try:
        return Stage[name.strip().upper()]
    except KeyError:
        known = ", ".join(s.name.lower() for s in Stage)
        raise ValueError(f"unknown stage {name!r}; stages: {known}") from None


def match_view(
    row: dict[str, Any], posting: dict[str, Any], stage: Stage, full: bool
) -> tuple[dict[str, Any], list[Access]]:
    """The match as one viewer reads it at `stage`; `full`: an auditor or the posting's employer
    (candidates' views of their matches and employers' views of their candidates alike)."""
    score = None if row["blocked"] else row["fit_total"] / 100
    rules = default_rules(posting["posting_id"])
    if full:
        view, accesses = unredacted(posting, rules, stage, reason="full_view", purpose="match")
    else:
        view, accesses = redact(posting, rules, stage, match_score=score, purpose="match")
    detail = row["detail"]

    def text(value: Any) -> Any:
        # the event holds markers for sensitive values (processors/sensitive/template.py)
        return render(value, posting, rules, stage, match_score=score, full=full)

    explained = {
        "explanation": text(detail.get("explanation", {})),
        "suggestions": text(detail.get("suggestions", [])),
        "non_negotiables": text(detail.get("non_negotiables", {})),
    }
    return {
        "posting": view,
        "fit": {"total": detail["fit"]["total"], "label": detail["fit"]["label"]},
        "stretch": {"total": detail["stretch"]["total"], "label": detail["stretch"]["label"]},
        "practical": {"total": detail["practical"]["total"], "hard_fail": detail["practical"]["hard_fail"]},
        "recommendation": row["recommendation"],
        "ghost_score": row["ghost_score"],
        "blocked": row["blocked"],
        "stage": stage.name.lower(),
        **explained,
        "versions": {
            "profile": row["profile_version"],
            "derivation": row["derivation_version"],
            "match_event_id": str(row["event_id"]),
            "supersedes": row["supersedes"],
        },
    }, accesses


def sees_everything(viewer: Viewer | None, posting: dict[str, Any]) -> bool:
    return viewer is not None and viewer.full_view(posting["posting_id"], posting.get("company"))


def posting_contents(conn: Any, schema: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The postings' content fields as JSON values, which redaction and rendering read."""
    return {pid: jsonable(row) for pid, row in content_rows(conn, schema, ids).items()}


def match_row(conn: Any, schema: str, profile_id: str, posting_id: str) -> dict[str, Any] | None:
    """The pair's match row as projected (reads and lineage start from it)."""
    row = conn.execute(
        sql.SQL("SELECT * FROM {}.matches WHERE profile_id = %s AND posting_id = %s").format(
            sql.Identifier(schema)
        ),
        (profile_id, posting_id),
    ).fetchone()
    return None if row is None else dict(row)


def ranked_matches(
    dsn: str,
    profile_id: str,
    stage: Stage | None,
    limit: int = 20,
    include_blocked: bool = False,
    schema: str = LIVE_SCHEMA,
    offset: int = 0,
    viewer: Viewer | None = None,
) -> tuple[list[dict[str, Any]], list[Access]]:
    """One page of the profile's matches, best first; `rank` counts from the first page.

    Each pair is shown at its recorded stage, or at `stage` where that is earlier (None: the
    recorded one): a caller may narrow what the log allows, never widen it."""
    blocked = sql.SQL("") if include_blocked else sql.SQL(" AND NOT m.blocked")
    with db.connect(dsn) as conn:
        # joined so that a match whose posting left the projection is neither shown nor counted
        rows = conn.execute(
            sql.SQL(
                "SELECT m.* FROM {s}.matches m JOIN {s}.postings p USING (posting_id) "
                "WHERE m.profile_id = %s{b} ORDER BY m.blocked, m.fit_total DESC, m.posting_id "
                "LIMIT %s OFFSET %s"
            ).format(s=sql.Identifier(schema), b=blocked),
            (profile_id, limit, offset),
        ).fetchall()
        postings = posting_contents(conn, schema, [r["posting_id"] for r in rows])
        recorded = access_reads.stages(conn, schema, profile_id, list(postings))
    out, accesses = [], []
    for rank, row in enumerate(rows, start=offset + 1):
        posting = postings[row["posting_id"]]
        at = shown_stage(recorded[row["posting_id"]], stage)
        shown, read = match_view(dict(row), posting, at, sees_everything(viewer, posting))
        out.append({"rank": rank, "posting_id": row["posting_id"], **shown})
        accesses += read
    return out, accesses


def count_matches(dsn: str, profile_id: str, include_blocked: bool = False, schema: str = LIVE_SCHEMA) -> int:
    blocked = sql.SQL("") if include_blocked else sql.SQL(" AND NOT m.blocked")
    with db.connect(dsn) as conn:
        row = conn.execute(
            sql.SQL(
                "SELECT count(*) AS n FROM {s}.matches m JOIN {s}.postings p USING (posting_id) "
                "WHERE m.profile_id = %s{b}"
            ).format(s=sql.Identifier(schema), b=blocked),
            (profile_id,),
        ).fetchone()
    return int(row["n"]) if row else 0


def profile_exists(dsn: str, profile_id: str, schema: str = LIVE_SCHEMA) -> bool:
    with db.connect(dsn) as conn:
        query = sql.SQL("SELECT 1 FROM {}.profiles WHERE profile_id = %s").format(sql.Identifier(schema))
        return conn.execute(query, (profile_id,)).fetchone() is not None


def one_match(
    dsn: str,
    profile_id: str,
    posting_id: str,
    stage: Stage | None,
    schema: str = LIVE_SCHEMA,
    viewer: Viewer | None = None,
) -> tuple[dict[str, Any], list[Access]]:
    """One match in full, at the pair's recorded stage or the earlier `stage` asked for."""
    with db.connect(dsn) as conn:
        row = match_row(conn, schema, profile_id, posting_id)
        if row is None:
            raise NotFound(f"no match for profile {profile_id!r} and posting {posting_id!r}")
        posting = posting_contents(conn, schema, [posting_id]).get(posting_id)
        recorded = access_reads.stages(conn, schema, profile_id, [posting_id])[posting_id]
        jury = quality_reads.jury_of(conn, schema, str(row["event_id"]))
    if posting is None:
        raise NotFound(f"posting {posting_id!r} is not in the projection")
    at = shown_stage(recorded, stage)
    full = sees_everything(viewer, posting)
    shown, accesses = match_view(dict(row), posting, at, full)
    detail = row["detail"]
    rules = default_rules(posting_id)

    def text(value: Any) -> Any:
        return render(value, posting, rules, at, full=full)

    whole = {
        **shown,
        "profile_id": profile_id,
        "posting_id": posting_id,
        "fit": text(detail["fit"]),
        "stretch": text(detail["stretch"]),
        "practical": text(detail["practical"]),
        # The jury's verdict on this very match event (null when none sat): its reasons quote
        # the same markers as the explanation, so they are rendered for this viewer too.
        "jury": None
        if jury is None
        else {
            "verdict": jury["verdict"],
            "reasons": text(jury["reasons"]),
            "addresses": jury["addresses"],
            "engine": jury["engine"],
            "decided_at": jury["decided_at"],
            "decision_ids": [str(d["event_id"]) for d in jury["decisions"]],
        },
    }
    return whole, accesses


def match_exists(dsn: str, profile_id: str, posting_id: str, schema: str = LIVE_SCHEMA) -> bool:
    with db.connect(dsn) as conn:
        query = sql.SQL("SELECT 1 FROM {}.matches WHERE profile_id = %s AND posting_id = %s").format(
            sql.Identifier(schema)
        )
        return conn.execute(query, (profile_id, posting_id)).fetchone() is not None


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
    derived = derivations(conn, schema, ids)
    states = posting_states(conn, schema, list(derived))
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
