"""Match reads as one viewer may see them: ranked, explained, and redacted by the pair's stage.

Scoring used every field; what is shown follows each field's visibility rule (seed 002 §6) at
the stage recorded for the pair (`stage.changed` events), unless the viewer is entitled to every
value (an auditor, the posting's own employer). Every sensitive field read comes back as an
`Access`, which the caller logs as an event.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from processors.sensitive.access import Viewer, shown_stage
from processors.sensitive.model import Access, Stage, default_rules
from processors.sensitive.redact import redact, unredacted
from processors.sensitive.template import render
from projections import db
from projections.columns import CONTENT_FIELDS
from projections.db import LIVE_SCHEMA
from projections.jsonable import jsonable
from projections.read import access as access_reads
from projections.read import quality as quality_reads
from schemas.errors import NotFound


def parse_stage(name: str) -> Stage:
    try:
        return Stage[name.strip().upper()]
    except KeyError:
        known = ", ".join(s.name.lower() for s in Stage)
        raise ValueError(f"unknown stage {name!r}; stages: {known}") from None


def _shown(
    row: dict[str, Any], posting: dict[str, Any], stage: Stage, full: bool
) -> tuple[dict[str, Any], list[Access]]:
    """The match as one viewer reads it at `stage`; `full`: an auditor or the posting's employer."""
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


def _full(viewer: Viewer | None, posting: dict[str, Any]) -> bool:
    return viewer is not None and viewer.full_view(posting["posting_id"], posting.get("company"))


def _postings(conn: Any, schema: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    cols = sql.SQL(", ").join(map(sql.Identifier, ("posting_id", *CONTENT_FIELDS)))
    rows = conn.execute(
        sql.SQL("SELECT {} FROM {}.postings WHERE posting_id = ANY(%s)").format(cols, sql.Identifier(schema)),
        (ids,),
    )
    return {r["posting_id"]: jsonable(dict(r)) for r in rows}


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
        postings = _postings(conn, schema, [r["posting_id"] for r in rows])
        recorded = access_reads.stages(conn, schema, profile_id, list(postings))
    out, accesses = [], []
    for rank, row in enumerate(rows, start=offset + 1):
        posting = postings[row["posting_id"]]
        at = shown_stage(recorded[row["posting_id"]], stage)
        shown, read = _shown(dict(row), posting, at, _full(viewer, posting))
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
        row = conn.execute(
            sql.SQL("SELECT * FROM {}.matches WHERE profile_id = %s AND posting_id = %s").format(
                sql.Identifier(schema)
            ),
            (profile_id, posting_id),
        ).fetchone()
        if row is None:
            raise NotFound(f"no match for profile {profile_id!r} and posting {posting_id!r}")
        posting = _postings(conn, schema, [posting_id]).get(posting_id)
        recorded = access_reads.stages(conn, schema, profile_id, [posting_id])[posting_id]
        jury = quality_reads.jury_of(conn, schema, str(row["event_id"]))
    if posting is None:
        raise NotFound(f"posting {posting_id!r} is not in the projection")
    at = shown_stage(recorded, stage)
    full = _full(viewer, posting)
    shown, accesses = _shown(dict(row), posting, at, full)
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
