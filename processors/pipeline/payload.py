"""A derivation's derived state as the typed fields of its event (schema v3), and read back as the
JSON the projection stores, from an event of any version.

Events written before v3 carry requirements, skills and red flags as JSON text; v3 events carry
records and leave that text at its defaults. Both read back to the same JSON, so a rebuild over
a log holding both projects what it always did.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from processors.lily.model import Decomposition, ProofStack
from processors.pipeline.work import RedFlagFindings, SummaryGrade
from processors.steps.models import FlagReview, RedFlag, VerdictOutput
from processors.taxonomy.task import MappedSkill
from schemas import payloads
from schemas.models import DerivationEvent


def requirement_lines(
    decompositions: Sequence[Decomposition], decision_ids: Sequence[str | None]
) -> list[payloads.RequirementLine]:
    return [
        payloads.RequirementLine(
            index=i,
            text=d.text,
            proof_stacks=[payloads.ProofStack.model_validate(s.model_dump()) for s in d.proof_stacks],
            decision_id=decision_ids[i] if i < len(decision_ids) else None,
        )
        for i, d in enumerate(decompositions)
    ]


def typed_fields(
    lines: list[payloads.RequirementLine], skills: Sequence[MappedSkill], found: RedFlagFindings
) -> dict[str, Any]:
    """The v3 fields of a derivation event, by name."""
    return {
        "requirement_lines": lines,
        "mapped_skills": [payloads.MappedSkill.model_validate(s.model_dump()) for s in skills],
        "analyst_flags": [payloads.RedFlag.model_validate(f.model_dump()) for f in found.flags],
        "flag_reviews": [payloads.FlagReview.model_validate(r.model_dump()) for r in found.reviews],
        "verdict": payloads.RedFlagVerdict.model_validate(found.verdict.model_dump())
        if found.verdict
        else None,
        "summary_grades": [
            payloads.SummaryGrade.model_validate(g.model_dump()) for g in found.summary_grades
        ],
        "summary_passed": found.summary_passed,
        "ghost_signals": list(found.ghost_signals),
    }


# --- reading every version -------------------------------------------------------------------


def requirements_json(d: DerivationEvent) -> list[dict[str, Any]]:
    """The requirement lines with their proof stacks, as the domain dumps them."""
    if d.requirement_lines is None:
        return list(json.loads(d.requirements))
    return [
        {
            "index": line.index,
            "text": line.text,
            "proof_stacks": [
                ProofStack.model_validate(s.model_dump()).model_dump(mode="json") for s in line.proof_stacks
            ],
            "decision_id": line.decision_id,
        }
        for line in d.requirement_lines
    ]


def skills_json(d: DerivationEvent) -> list[dict[str, Any]]:
    if d.mapped_skills is None:
        return list(json.loads(d.skills))
    return [MappedSkill.model_validate(s.model_dump()).model_dump(mode="json") for s in d.mapped_skills]


def red_flags_json(d: DerivationEvent) -> dict[str, Any]:
    """The red-flag findings as one JSON object: how the projection has always stored them."""
    found = findings(d)
    return dict(json.loads(d.red_flags)) if found is None else found.to_json()


def findings(d: DerivationEvent) -> RedFlagFindings | None:
    """The typed findings of a v3 event; None for an earlier one (its `red_flags` text holds them)."""
    if d.analyst_flags is None:
        return None
    return RedFlagFindings(
        flags=[RedFlag.model_validate(f.model_dump()) for f in d.analyst_flags],
        reviews=[FlagReview.model_validate(r.model_dump()) for r in d.flag_reviews or []],
        verdict=VerdictOutput.model_validate(d.verdict.model_dump()) if d.verdict else None,
        summary_grades=[SummaryGrade.model_validate(g.model_dump()) for g in d.summary_grades or []],
        summary_passed=True if d.summary_passed is None else d.summary_passed,
        ghost_signals=list(d.ghost_signals or []),
    )
