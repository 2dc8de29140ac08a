"""Explanations (seed 001 §8, seed 002 §4): strengths, gaps, stretch opportunities, warnings, summary.

Thresholds are the seed's (hard skills >= 80 strong / < 50 gap, experience >= 90 / < 60,
target skills >= 75, target role >= 80, ghost >= 60); practical sub-scores below 0.5 and
proof-layer shortfalls are our additions. The summary is one line: verdict first, then the
reason a person most needs.
"""

from __future__ import annotations

from processors.scoring.evaluation import Evaluation
from processors.scoring.result import Explanation, ScoreResult
from processors.scoring.skills import Credit
from processors.scoring.stretch import matched_target_skills
from processors.taxonomy.model import Taxonomy

NEAR = 0.3
PRACTICAL_WORDS = {
    "compensation": "Pay is below your target",
    "availability": "Your availability covers less than half of the required hours",
    "timezone": "Little working-hours overlap across time zones",
    "location": "Long commute",
    "language": "A required language is missing",
    "work_auth": "Work authorisation / sponsorship may be a problem",
    "benefits": "Required benefits not offered",
}


def _fmt_years(value: float | None) -> str:
    if value is None:
        return "unknown"
    return f"{value:g}"


def _asked(c: Credit) -> str:
    """The requirement as the posting puts it: "Go", or "Go or Python" with alternatives."""
    return " or ".join([c.job_skill.name, *c.job_skill.alternatives])


def _met(c: Credit) -> str:
    """The skill that met the requirement, and the requirement when an alternative met it."""
    return c.job_skill.name if c.via is None else f"{c.via} (one of {_asked(c)})"


def _matched(ev: Evaluation) -> list[str]:
    return list(dict.fromkeys(_met(c) for c in ev.credits if c.matched is not None and c.adjacency == 1.0))


def _skills_lines(ev: Evaluation, strengths: list[str], gaps: list[str]) -> None:
    fit = ev.fit
    matched = _matched(ev)
    # Distant neighbours (same domain only) earn a little credit but would only clutter the reasons.
    near = [
        f"{_met(c)} (via {c.matched.skill.name})"
        for c in ev.credits
        if c.matched is not None and NEAR <= c.adjacency < 1.0
    ]
    missing = [_asked(c) for c in ev.credits if c.matched is None and c.job_skill.is_required]
    hard = fit.components["hard_skills"] if fit else None
    if hard is not None and hard >= 80 and matched:
        strengths.append(
            f"Strong technical fit: you have {len(matched)} of the key skills: {', '.join(matched[:3])}"
        )
    elif matched:
        strengths.append(f"You have: {', '.join(matched[:5])}")
    if missing:
        gaps.append(f"Missing required skills: {', '.join(missing[:3])}")
    if near:
        strengths.append(f"Related skills count in part: {', '.join(near[:3])}")
    weak = [
        _met(c)
        for c in ev.credits
        if c.matched is not None
        and c.adjacency == 1.0
        and c.job_skill.years_experience is not None
        and c.matched.years < c.job_skill.years_experience
    ]
    if weak:
        gaps.append(f"Below the years asked for: {', '.join(weak[:3])}")
    for check in ev.checks:
        if check.factor < 1.0:
            gaps.append(f"Proof: {check.note} ({check.requirement[:80]})")


def _experience_lines(ev: Evaluation, strengths: list[str], gaps: list[str], warnings: list[str]) -> None:
    if ev.fit is None:
        return
    exp = ev.fit.components["experience"]
    years = ev.profile.years_experience or 0.0
    lo, hi = ev.posting.years_experience_min, ev.posting.years_experience_max
    if exp >= 90 and (lo is not None or hi is not None):
        strengths.append(f"Experience level is a match ({_fmt_years(years)} years)")
    elif exp < 60:
        if lo is not None and years < lo:
            gaps.append(
                f"Under-qualified: the job wants {_fmt_years(lo)}+ years, you have {_fmt_years(years)}"
            )
        elif hi is not None:
            warnings.append(
                f"May be seen as overqualified ({_fmt_years(years)} years vs. {_fmt_years(hi)} max)"
            )


def _summary(ev: Evaluation, result: ScoreResult, strengths: list[str], gaps: list[str]) -> str:
    if result.fit.total is None:
        reason = result.non_negotiables.failed_reasons[0] if result.non_negotiables.failed_reasons else ""
        return f"Blocked: {reason}."
    head = (
        f"{result.recommendation}: {result.fit.label} fit ({result.fit.total:g}), "
        f"{result.stretch.label.lower()} ({result.stretch.total:g}), practical {result.practical.total:.0f}"
    )
    if result.needs_review:
        return head + " (no skills extracted from the posting; flagged for review)."
    parts = []
    matched = _matched(ev)
    if matched:
        parts.append(f"strong on {', '.join(matched[:2])}")
    if gaps:
        parts.append(gaps[0][0].lower() + gaps[0][1:])
    return head + (" — " + "; ".join(parts) if parts else "") + "."


def explain(ev: Evaluation, result: ScoreResult, taxonomy: Taxonomy) -> Explanation:
    strengths: list[str] = []
    gaps: list[str] = []
    stretch_ops: list[str] = []
    warnings: list[str] = list(ev.nonneg.warnings)
    if ev.fit is not None:
        _skills_lines(ev, strengths, gaps)
        _experience_lines(ev, strengths, gaps, warnings)
        if ev.fit.mode != "standard":
            strengths.append(f"Scored with {ev.fit.mode.replace('_', '-')} weights")
    if ev.stretch is not None:
        if ev.stretch.components["target_skills"] >= 75:
            names = matched_target_skills(ev.profile, ev.posting, taxonomy)
            stretch_ops.append(f"Exposure to target skills: {', '.join(names)}")
        roles = ev.profile.growth_targets.target_roles
        if ev.stretch.components["target_role"] >= 80 and roles:
            stretch_ops.append(f"Aligns with your target role of {roles[0]}")
        if ev.stretch.components["growth_trajectory"] >= 100:
            stretch_ops.append("A step up from your current level")
    for name, value in ev.practical.components.items():
        if value < 0.5:
            gaps.append(f"{PRACTICAL_WORDS[name]} ({value:.0%})")
    ghost = ev.posting.ghost_score
    if ghost is not None and ghost >= ev.config.ghost_warning:
        warnings.append(f"Ghost risk: {ghost:.0f}% — this posting may be stale")
    if result.needs_review:
        warnings.append("No skills were extracted from the posting: fit set to neutral, flagged for review")
    return Explanation(
        summary=_summary(ev, result, strengths, gaps),
        strengths=strengths,
        gaps=gaps,
        stretch_opportunities=stretch_ops,
        warnings=list(dict.fromkeys(warnings)),
    )
