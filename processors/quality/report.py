"""The eval report: how each engine and model version fares against people's feedback, the
jury's verdicts against the same feedback, QA findings by dimension and verdict, and the most
disputed decisions. Pure: rows in, one report out.

Agreement is the share of feedback saying "right". The jury agrees with a person when Helen said
apply (with or without a gap to address) and the person called the match right, or Helen said
skip and the person called it wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeedbackRow:
    verdict: str
    category: str
    component: str | None
    recommendation: str
    config: str  # the engines and models the match came from, e.g. "matcher/1 lily=rules:rules-1"
    match_event_id: str
    decision_ids: tuple[str, ...] = ()
    jury_verdict: str | None = None
    jury_config: str | None = None


@dataclass(frozen=True)
class QARow:
    target: str
    dimension: str
    severity: str
    model: str
    review: str | None  # "ok", "issue" or None while open
    remediated: bool = False


@dataclass
class _Tally:
    right: int = 0
    wrong: int = 0

    def add(self, verdict: str) -> None:
        if verdict == "right":
            self.right += 1
        else:
            self.wrong += 1

    def as_dict(self) -> dict[str, Any]:
        n = self.right + self.wrong
        return {"feedback": n, "right": self.right, "wrong": self.wrong,
                "agreement": round(self.right / n, 4) if n else None}  # fmt: skip


@dataclass
class _Group:
    overall: _Tally = field(default_factory=_Tally)
    by_label: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_component: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_category: Counter[str] = field(default_factory=Counter)


def jury_agrees(jury_verdict: str, feedback_verdict: str) -> bool:
    says_apply = jury_verdict in ("apply", "apply_address_gap")
    return says_apply == (feedback_verdict == "right")


def _engines(rows: Iterable[FeedbackRow]) -> list[dict[str, Any]]:
    groups: dict[str, _Group] = defaultdict(_Group)
    for r in rows:
        g = groups[r.config]
        g.overall.add(r.verdict)
        g.by_label[r.recommendation].add(r.verdict)
        g.by_component[r.component or "(none)"].add(r.verdict)
        if r.verdict == "wrong":
            g.by_category[r.category or "other"] += 1
    return [
        {
            "config": key,
            **g.overall.as_dict(),
            "by_label": {k: v.as_dict() for k, v in sorted(g.by_label.items())},
            "by_component": {k: v.as_dict() for k, v in sorted(g.by_component.items())},
            "wrong_by_category": dict(sorted(g.by_category.items())),
        }
        for key, g in sorted(groups.items())
    ]


def _jury(rows: Iterable[FeedbackRow]) -> list[dict[str, Any]]:
    cells: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for r in rows:
        if r.jury_verdict is not None:
            cells[r.jury_config or "?"][(r.jury_verdict, r.verdict)] += 1
    out = []
    for key, counts in sorted(cells.items()):
        n = sum(counts.values())
        agree = sum(c for (j, f), c in counts.items() if jury_agrees(j, f))
        out.append(
            {
                "config": key,
                "feedback": n,
                "agree": agree,
                "agreement": round(agree / n, 4) if n else None,
                "table": [{"jury": j, "feedback": f, "count": c} for (j, f), c in sorted(counts.items())],
            }
        )
    return out


def _qa(rows: Iterable[QARow]) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    remediated: Counter[tuple[str, str]] = Counter()
    for r in rows:
        counts[(r.target, r.dimension, r.review or "open")] += 1
        if r.remediated:
            remediated[(r.target, r.dimension)] += 1
    keys = sorted({(t, d) for t, d, _ in counts})
    return [
        {
            "target": t,
            "dimension": d,
            "open": counts[(t, d, "open")],
            "ok": counts[(t, d, "ok")],
            "issue": counts[(t, d, "issue")],
            "remediated": remediated[(t, d)],
        }
        for t, d in keys
    ]


def _disputed(rows: Sequence[FeedbackRow], top: int) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        if r.verdict != "wrong":
            continue
        counts[("match", r.match_event_id)] += 1
        for d in r.decision_ids:
            counts[("decision", d)] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [{"kind": kind, "event_id": eid, "wrong": n} for (kind, eid), n in ranked]


def report(feedback: Sequence[FeedbackRow], qa: Sequence[QARow], top: int = 5) -> dict[str, Any]:
    return {
        "feedback": len(feedback),
        "engines": _engines(feedback),
        "jury": _jury(feedback),
        "qa": _qa(qa),
        "most_disputed": _disputed(feedback, top),
    }
