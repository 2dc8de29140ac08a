"""Reads for the quality loop: a match as an event, its jury, feedback, QA items and findings,
and the rows of the eval report."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from processors.matching.match import MATCHER
from processors.matching.payload import typed_fields
from processors.quality.report import FeedbackRow, QARow
from processors.quality.sampling import Finding, Item
from schemas.models import MatchEvent, event_meta

Conn = psycopg.Connection[Any]
WHERE_COLUMNS: tuple[str, ...] = ("posting_id", "engine", "model", "profile_id")
_WHERE = re.compile(r"^\s*([a-z_]+)\s*(=|!=)\s*(.+?)\s*$")


def _q(conn: Conn, schema: str, query: str, args: Any = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sql.SQL(query).format(s=sql.Identifier(schema)), args)]


def match_event(conn: Conn, schema: str, profile_id: str, posting_id: str) -> MatchEvent | None:
    """The pair's latest match, as the event the matcher emitted (the projection holds every field)."""
    rows = _q(conn, schema, "SELECT * FROM {s}.matches WHERE profile_id = %s AND posting_id = %s",
              (profile_id, posting_id))  # fmt: skip
    if not rows:
        return None
    r = rows[0]

    return MatchEvent(
        meta=event_meta(
            "match.scored",
            MATCHER,
            event_id=r["event_id"],
            occurred_at=r["scored_at"],
            correlation_id=profile_id,
        ),
        profile_id=profile_id,
        posting_id=posting_id,
        profile_version=r["profile_version"],
        derivation_version=r["derivation_version"],
        fit_total=r["fit_total"],
        stretch_total=r["stretch_total"],
        ghost_score=r["ghost_score"],
        recommendation=r["recommendation"],
        supersedes=r["supersedes"],
        profile_event_id=r["profile_event_id"],
        derivation_event_id=r["derivation_event_id"],
        practical_total=r["practical_total"],
        fit_label=r["fit_label"],
        blocked=r["blocked"],
        **typed_fields(r["detail"], r["ghost_score"], r["recommendation"]),
    )


def jury_of(conn: Conn, schema: str, match_event_id: str) -> dict[str, Any] | None:
    """The verdict and the three decisions for a match event, or None when no jury sat."""
    rows = _q(conn, schema, "SELECT * FROM {s}.jury_verdicts WHERE match_event_id = %s", (match_event_id,))
    if not rows:
        return None
    v = rows[0]
    ids = [str(v["oscar_decision_id"]), str(v["rita_decision_id"]), str(v["helen_decision_id"])]
    decisions = _q(
        conn, schema,
        "SELECT event_id, task, engine, model, prompt_version, prompt_hash, input_hash, input_event_ids, output, "
        "status, reused_decision_id, latency_ms FROM {s}.decisions WHERE event_id = ANY(%s::uuid[])", (ids,),
    )  # fmt: skip
    order = {"jury_oscar": 0, "jury_rita": 1, "jury_helen": 2}
    decisions.sort(key=lambda d: order.get(d["task"], 3))
    return {
        "match_event_id": match_event_id,
        "verdict": v["verdict"],
        "reasons": v["reasons"],
        "addresses": v["addresses"],
        "engine": v["engine"],
        "decided_at": v["decided_at"],
        "decisions": decisions,
    }


def juried(conn: Conn, schema: str, match_event_ids: list[str], helen: str) -> set[str]:
    """The match events among these on which Helen, seated with this engine, has decided already."""
    rows = _q(conn, schema, "SELECT match_event_id FROM {s}.jury_verdicts WHERE match_event_id = ANY(%s) "
              "AND engine = %s", (match_event_ids, helen))  # fmt: skip
    return {r["match_event_id"] for r in rows}


def feedback(conn: Conn, schema: str, limit: int, profile_id: str | None = None) -> list[dict[str, Any]]:
    where, args = ("WHERE profile_id = %s", [profile_id]) if profile_id else ("", [])
    return _q(conn, schema, "SELECT * FROM {s}.feedback " + where + " ORDER BY given_at DESC, event_id LIMIT %s",
              (*args, limit))  # fmt: skip


def parse_where(values: list[str]) -> list[tuple[str, str, str]]:
    """COLUMN=VALUE or COLUMN!=VALUE, comma-separated, ANDed; ValueError names the columns."""
    out = []
    for value in values:
        for part in value.split(","):
            m = _WHERE.match(part)
            if m is None or m.group(1) not in WHERE_COLUMNS:
                raise ValueError(f"{part!r}: expected COLUMN=VALUE or COLUMN!=VALUE with COLUMN one of "
                                 + ", ".join(WHERE_COLUMNS))  # fmt: skip
            out.append((m.group(1), m.group(2), m.group(3)))
    return out


def _filters(where: list[tuple[str, str, str]], columns: dict[str, str]) -> tuple[str, list[str]]:
    parts, args = [], []
    for col, op, value in where:
        if col not in columns:
            raise ValueError(f"--where {col} does not apply to this target; use {', '.join(columns)}")
        parts.append(f"{columns[col]} {'=' if op == '=' else '<>'} %s")
        args.append(value)
    return "".join(f" AND {p}" for p in parts), args


_DECISION_TASKS = {
    "summary": ("extract_summary", "improve_summary"),
    "requirements": ("extract_requirements",),
    "lily": ("lily",),
}
_TEXT = {
    "summary": "coalesce(output->>'summary', '')",
    "requirements": "output::text",
    "lily": "output::text",
}


def qa_items(conn: Conn, schema: str, target: str, where: list[tuple[str, str, str]]) -> list[Item]:
    if target == "match":
        extra, args = _filters(where, {"posting_id": "posting_id", "profile_id": "profile_id"})
        rows = _q(
            conn, schema,
            "SELECT event_id::text AS ref, profile_id, posting_id, concat_ws(' ', detail->'explanation'->>'summary', "
            "detail->'explanation'->>'gaps') AS text FROM {s}.matches WHERE true" + extra, args,
        )  # fmt: skip
        return [Item(r["ref"], f"{r['profile_id']}/{r['posting_id']}", r["posting_id"], "match", r["text"] or "", None)
                for r in rows]  # fmt: skip
    extra, args = _filters(where, {"posting_id": "subject_id", "engine": "engine", "model": "model"})
    rows = _q(
        conn, schema,
        "SELECT event_id::text AS ref, subject_id, step, latency_ms, " + _TEXT[target] + " AS text "
        "FROM {s}.decisions WHERE task = ANY(%s) AND status = 'ok'" + extra,
        [list(_DECISION_TASKS[target]), *args],
    )  # fmt: skip
    return [
        Item(r["ref"], r["subject_id"], r["subject_id"], r["step"], r["text"], r["latency_ms"]) for r in rows
    ]


def logged(conn: Conn, schema: str, ids: list[str]) -> set[str]:
    rows = _q(
        conn,
        schema,
        "SELECT event_id::text AS id FROM {s}.audit_log WHERE event_id = ANY(%s::uuid[])",
        (ids,),
    )
    return {r["id"] for r in rows}


def findings(conn: Conn, schema: str, status: str | None, limit: int) -> list[dict[str, Any]]:
    where, args = ("WHERE status = %s", [status]) if status else ("", [])
    return _q(conn, schema, "SELECT * FROM {s}.qa_findings " + where + " ORDER BY found_at, finding_id LIMIT %s",
              (*args, limit))  # fmt: skip


def finding(conn: Conn, schema: str, short_or_full: str) -> tuple[Finding, dict[str, Any]] | None:
    key = short_or_full.lstrip("#").lower()
    rows = _q(conn, schema, "SELECT * FROM {s}.qa_findings WHERE short_id = %s OR finding_id::text = %s",
              (key, key))  # fmt: skip
    if not rows:
        return None
    r = rows[0]
    f = Finding(
        finding_id=str(r["finding_id"]), target=r["target"], dimension=r["dimension"], severity=r["severity"],
        ref_id=r["ref_id"], subject_id=r["subject_id"], posting_id=r["posting_id"], step=r["step"],
        value=r["value"], other_ref_id=r["other_ref_id"], similarity=r["similarity"], note=r["note"],
    )  # fmt: skip
    return f, r


def _config(engine_config: dict[str, Any] | None, producer: str | None) -> str:
    """The matcher's version, the engine most steps used (`*=`), and the steps that used another."""
    config = {k: str(v) for k, v in (engine_config or {}).items()}
    if not config:
        return producer or "matcher/?"
    common = Counter(config.values()).most_common(1)[0][0]
    others = " ".join(f"{k}={v}" for k, v in sorted(config.items()) if v != common)
    return " ".join(x for x in (producer or "matcher/?", f"*={common}", others) if x)


def report_rows(conn: Conn, schema: str, since: datetime | None) -> tuple[list[FeedbackRow], list[QARow]]:
    fb = _q(
        conn, schema,
        "SELECT f.*, h.recommendation, d.engine_config, a.producer_component || '/' || a.producer_version AS producer, "
        "j.verdict AS jury_verdict, j.engine AS jury_engine FROM {s}.feedback f "
        "LEFT JOIN {s}.match_history h ON h.event_id::text = f.match_event_id "
        "LEFT JOIN {s}.derivations d ON d.posting_id = f.posting_id AND d.version = f.derivation_version "
        "LEFT JOIN {s}.audit_log a ON a.event_id::text = f.match_event_id "
        "LEFT JOIN {s}.jury_verdicts j ON j.match_event_id = f.match_event_id "
        "WHERE %s::timestamptz IS NULL OR f.given_at >= %s::timestamptz ORDER BY f.given_at, f.event_id",
        (since, since),
    )  # fmt: skip
    feedback_rows = [
        FeedbackRow(
            verdict=r["verdict"],
            category=r["category"],
            component=r["component"],
            recommendation=r["recommendation"] or "?",
            config=_config(r["engine_config"], r["producer"]),
            match_event_id=r["match_event_id"],
            decision_ids=tuple(r["decision_ids"]),
            jury_verdict=r["jury_verdict"],
            jury_config=r["jury_engine"],
        )
        for r in fb
    ]
    qa = _q(
        conn, schema,
        "SELECT * FROM {s}.qa_findings WHERE %s::timestamptz IS NULL OR found_at >= %s::timestamptz",
        (since, since),
    )  # fmt: skip
    qa_rows = [QARow(r["target"], r["dimension"], r["severity"], r["sampler"], r["review"],
                     r["status"] == "remediated") for r in qa]  # fmt: skip
    return feedback_rows, qa_rows
