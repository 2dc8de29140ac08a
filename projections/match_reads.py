"""Match reads as a candidate may see them: ranked, explained, and redacted by stage.

Scoring used every field; what is shown follows each field's visibility rule (seed 002 §6).
Every sensitive field read comes back as an `Access`, which the caller logs as an event.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from processors.sensitive.model import Access, Stage, default_rules
from processors.sensitive.redact import redact, redact_text
from projections import db
from projections.jsonable import jsonable
from projections.migrate import LIVE_SCHEMA
from projections.reducers import CONTENT_FIELDS


def parse_stage(name: str) -> Stage:
    try:
        return Stage[name.strip().upper()]
    except KeyError:
        known = ", ".join(s.name.lower() for s in Stage)
        raise ValueError(f"unknown stage {name!r}; stages: {known}") from None


def _redact_detail(value: Any, posting: dict[str, Any], stage: Stage, score: float | None) -> Any:
    rules = default_rules(posting.get("posting_id"))
    if isinstance(value, str):
        return redact_text(value, posting, rules, stage, match_score=score)
    if isinstance(value, list):
        return [_redact_detail(v, posting, stage, score) for v in value]
    if isinstance(value, dict):
        return {k: _redact_detail(v, posting, stage, score) for k, v in value.items()}
    return value


def _shown(row: dict[str, Any], posting: dict[str, Any], stage: Stage) -> tuple[dict[str, Any], list[Access]]:
    score = None if row["blocked"] else row["fit_total"] / 100
    view, accesses = redact(
        posting, default_rules(posting["posting_id"]), stage, match_score=score, purpose="match"
    )
    detail = row["detail"]
    explained = {
        "explanation": _redact_detail(detail.get("explanation", {}), posting, stage, score),
        "suggestions": _redact_detail(detail.get("suggestions", []), posting, stage, score),
        "non_negotiables": _redact_detail(detail.get("non_negotiables", {}), posting, stage, score),
    }
    return {
        "posting": view,
        "fit": {"total": detail["fit"]["total"], "label": detail["fit"]["label"]},
        "stretch": {"total": detail["stretch"]["total"], "label": detail["stretch"]["label"]},
        "practical": {"total": detail["practical"]["total"], "hard_fail": detail["practical"]["hard_fail"]},
        "recommendation": row["recommendation"],
        "ghost_score": row["ghost_score"],
        "blocked": row["blocked"],
        **explained,
        "versions": {
            "profile": row["profile_version"],
            "derivation": row["derivation_version"],
            "match_event_id": str(row["event_id"]),
            "supersedes": row["supersedes"],
        },
    }, accesses


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
    stage: Stage,
    limit: int = 20,
    include_blocked: bool = False,
    schema: str = LIVE_SCHEMA,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], list[Access]]:
    """One page of the profile's matches, best first; `rank` counts from the first page."""
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
    out, accesses = [], []
    for rank, row in enumerate(rows, start=offset + 1):
        shown, read = _shown(dict(row), postings[row["posting_id"]], stage)
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
    dsn: str, profile_id: str, posting_id: str, stage: Stage, schema: str = LIVE_SCHEMA
) -> tuple[dict[str, Any], list[Access]]:
    with db.connect(dsn) as conn:
        row = conn.execute(
            sql.SQL("SELECT * FROM {}.matches WHERE profile_id = %s AND posting_id = %s").format(
                sql.Identifier(schema)
            ),
            (profile_id, posting_id),
        ).fetchone()
        if row is None:
            raise LookupError(f"no match for profile {profile_id!r} and posting {posting_id!r}")
        posting = _postings(conn, schema, [posting_id]).get(posting_id)
    if posting is None:
        raise LookupError(f"posting {posting_id!r} is not in the projection")
    shown, accesses = _shown(dict(row), posting, stage)
    detail = row["detail"]
    full = {
        **shown,
        "profile_id": profile_id,
        "posting_id": posting_id,
        "fit": _redact_detail(detail["fit"], posting, stage, None),
        "stretch": detail["stretch"],
        "practical": detail["practical"],
    }
    return full, accesses
