"""The rules jury (`rules:jury-rules-1`): deterministic, built from the score components and evidence.

Thresholds (fit and stretch components on 0-100, practical sub-scores on 0-1):

| member | reads | rule |
| --- | --- | --- |
| Oscar | fit components >= 70, evidence pointers, adjacency credit, stretch lines | one point each |
| Rita | fit components < 60, practical < 0.5, the explanation's gaps and warnings | one gap each; major below 40 / 0.25 |
| Helen | both | skip when blocked, fit < 40 or two major gaps; apply when Rita has nothing; else apply and address the gap |
"""

from __future__ import annotations

import re

from processors.jury.models import (
    VERDICT_WORDS,
    Gap,
    HelenInput,
    HelenOutput,
    JuryInput,
    OscarOutput,
    Point,
    RitaOutput,
)

JURY_RULES_1 = "jury-rules-1"
KNOWN_RULESETS = (JURY_RULES_1,)
STRONG, WEAK, MAJOR = 70.0, 60.0, 40.0
PRACTICAL_WEAK, PRACTICAL_MAJOR = 0.5, 0.25
MIN_FIT = 40.0

# Which component an explanation line is about, by how the scorer words it.
GAP_PREFIXES: tuple[tuple[str, str], ...] = (
    ("Missing required skills", "fit.hard_skills"),
    ("Below the years", "fit.experience"),
    ("Under-qualified", "fit.experience"),
    ("May be seen as overqualified", "fit.experience"),
    ("Proof:", "fit.hard_skills"),
    ("Pay is below", "practical.compensation"),
    ("Salary", "practical.compensation"),
    ("Your availability", "practical.availability"),
    ("Little working-hours", "practical.timezone"),
    ("Long commute", "practical.location"),
    ("A required language", "practical.language"),
    ("Work authorisation", "practical.work_auth"),
    ("Required benefits", "practical.benefits"),
    ("Ghost risk", "ghost_score"),
)


def clean(text: str) -> str:
    """Explanation lines quote posting text; control characters would break the output schema."""
    return re.sub(r"[\x00-\x1f]+", " ", text)


def check_ruleset(ruleset: str) -> None:
    if ruleset not in KNOWN_RULESETS:
        raise ValueError(f"unknown jury ruleset {ruleset!r}; known: {', '.join(KNOWN_RULESETS)}")


def _words(component: str) -> str:
    return component.replace("_", " ")


def component_of(line: str) -> str:
    for prefix, component in GAP_PREFIXES:
        if line.startswith(prefix):
            return component
    return "fit"


def oscar(inp: JuryInput, ruleset: str) -> OscarOutput:
    check_ruleset(ruleset)
    if inp.blocked:
        return OscarOutput(points=[])
    points: list[Point] = []
    for ev in inp.evidence:
        points.append(
            Point(
                text=clean(
                    f'requirement {ev.requirement_index + 1} ("{ev.requirement[:80]}") is backed by {ev.source} '
                    f'evidence "{ev.text[:80]}" (score {ev.score:.2f}, found by {ev.found_by})'
                ),
                component="evidence",
                evidence=[ev.atom_id],
            )
        )
    points += [
        Point(text=f"{_words(name)} scores {value:.0f}/100", component=f"fit.{name}")
        for name, value in sorted(inp.fit_components.items())
        if value >= STRONG
    ]
    for line in inp.strengths:
        if line.startswith("Related skills count in part"):
            points.append(Point(text=clean(f"adjacency: {line}"), component="fit.hard_skills"))
    points += [Point(text=clean(line), component="stretch") for line in inp.stretch_opportunities]
    return OscarOutput(points=points)


def rita(inp: JuryInput, ruleset: str) -> RitaOutput:
    check_ruleset(ruleset)
    if inp.blocked:
        reasons = inp.blocked_reasons or ["a non-negotiable or hard gate failed"]
        return RitaOutput(
            gaps=[Gap(component="non_negotiables", value=0.0, detail=clean(r), major=True) for r in reasons]
        )
    gaps: list[Gap] = []
    said: set[str] = set()  # components a gap line already states with its number
    for line in [*inp.gaps, *inp.warnings]:
        component = component_of(line)
        value = _value(inp, component)
        gaps.append(Gap(component=component, value=value, detail=clean(line), major=_major(component, value)))
        if line in inp.gaps:
            said.add(component)
    for name, value in sorted(inp.fit_components.items()):
        if value < WEAK and f"fit.{name}" not in said:
            gaps.append(
                Gap(
                    component=f"fit.{name}",
                    value=value,
                    detail=f"{_words(name)} scores {value:.0f}/100",
                    major=value < MAJOR,
                )
            )
    for name, value in sorted(inp.practical_components.items()):
        if value < PRACTICAL_WEAK and f"practical.{name}" not in said:
            gaps.append(
                Gap(
                    component=f"practical.{name}",
                    value=value,
                    detail=f"{_words(name)} is {value:.0%} of what you asked for",
                    major=value < PRACTICAL_MAJOR,
                )
            )
    return RitaOutput(gaps=gaps)


def _value(inp: JuryInput, component: str) -> float:
    group, _, name = component.partition(".")
    if group == "fit":
        return inp.fit_components.get(name, inp.fit_total or 0.0) if name else inp.fit_total or 0.0
    if group == "practical":
        return inp.practical_components.get(name, 1.0)
    return 0.0


def _major(component: str, value: float) -> bool:
    if component.startswith("practical."):
        return value < PRACTICAL_MAJOR
    if component.startswith("fit."):
        return value < MAJOR
    return False


def helen(inp: HelenInput, ruleset: str) -> HelenOutput:
    check_ruleset(ruleset)
    m, pro, con = inp.match, inp.oscar.points, inp.rita.gaps
    majors = [g for g in con if g.major]
    cited = [f"Oscar: {pro[0].text}"] if pro else ["Oscar found nothing to argue for"]
    cited += [f"Rita: {g.detail}" for g in (majors or con)[:2]] or ["Rita found no gap"]
    if m.blocked or m.fit_total is None:
        return HelenOutput(verdict="skip", reasons=["the match is blocked", *cited])
    if m.fit_total < MIN_FIT:
        return HelenOutput(verdict="skip", reasons=[f"fit {m.fit_total:g} is below {MIN_FIT:g}", *cited])
    if len(majors) >= 2:
        why = f"{len(majors)} major gaps, each enough to sink the application"
        return HelenOutput(verdict="skip", reasons=[why, *cited])
    if not con:
        return HelenOutput(verdict="apply", reasons=[f"fit {m.fit_total:g} with no gap", *cited])
    why = f"fit {m.fit_total:g}; {len(pro)} point(s) for, {len(con)} gap(s) of which {len(majors)} major"
    addresses = list(dict.fromkeys(g.component for g in (majors or con)))
    return HelenOutput(verdict="apply_address_gap", reasons=[why, *cited], addresses=addresses)


def verdict_words(verdict: str) -> str:
    return VERDICT_WORDS.get(verdict, verdict)
