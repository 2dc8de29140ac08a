"""The jury's three tasks with explicit prompts: every input a prompt uses is named and checked.

A prompt is built by plain string assembly from the typed input (no template engine), so the
text a model saw is exactly what its hash covers.
"""

from __future__ import annotations

import json
from typing import Any

from processors.jury import rules
from processors.jury.models import HelenInput, HelenOutput, JuryInput, OscarOutput, RitaOutput
from processors.llm.protocol import Prompt
from processors.llm.tasks import Task, require

OSCAR, RITA, HELEN = "jury_oscar", "jury_rita", "jury_helen"


def _scores(inp: JuryInput) -> str:
    require(inp.profile_id, "profile id")
    require(inp.posting_id, "posting id")
    lines = [
        f"Recommendation: {inp.recommendation}",
        f"Fit: {inp.fit_total} ({inp.fit_label})",
        f"Stretch: {inp.stretch_total}",
        f"Practical: {inp.practical_total}",
        "Fit components (0-100): " + json.dumps(inp.fit_components, sort_keys=True),
        "Practical components (0-1): " + json.dumps(inp.practical_components, sort_keys=True),
    ]
    return "\n".join(lines)


def _lines(title: str, items: list[str]) -> str:
    return title + ":\n" + ("\n".join(f"- {x}" for x in items) if items else "- (none)")


def oscar_prompt(inp: JuryInput) -> Prompt:
    evidence = [f"[{e.atom_id}] requirement {e.requirement_index + 1} {e.requirement!r}: {e.text!r}"
                for e in inp.evidence]  # fmt: skip
    user = "\n\n".join(
        [
            _scores(inp),
            _lines("Strengths", inp.strengths),
            _lines("Stretch opportunities", inp.stretch_opportunities),
            _lines("Profile evidence (cite atom ids in brackets)", evidence),
        ]
    )
    system = (
        "You are Oscar, the optimist of a matching jury. Argue for this candidate applying. "
        "Each point rests on one score component (e.g. fit.hard_skills) or on evidence, and cites "
        "the atom ids it uses. Use only the facts given. Answer JSON only."
    )
    return Prompt(system=system, user=user, version="jury-oscar-1")


def rita_prompt(inp: JuryInput) -> Prompt:
    user = "\n\n".join(
        [
            _scores(inp),
            _lines("Gaps", inp.gaps),
            _lines("Warnings", inp.warnings),
            _lines("Blocked because", inp.blocked_reasons),
        ]
    )
    system = (
        "You are Rita, the realist of a matching jury. List every gap between the candidate and "
        "the job with its numbers (years, missing certifications, pay, distance), the component "
        "it lowers and its score; mark a gap major when it alone could sink the application. "
        "Use only the facts given. Answer JSON only."
    )
    return Prompt(system=system, user=user, version="jury-rita-1")


def helen_prompt(inp: HelenInput) -> Prompt:
    require(inp.match.profile_id, "profile id")
    oscar = [f"{p.text} ({p.component})" for p in inp.oscar.points]
    rita = [f"{g.detail} ({g.component}={g.value:g}{', major' if g.major else ''})" for g in inp.rita.gaps]
    user = "\n\n".join([_scores(inp.match), _lines("Oscar argues", oscar), _lines("Rita objects", rita)])
    system = (
        "You are Helen, the HR specialist who decides for a matching jury. Give a verdict: "
        "'apply', 'apply_address_gap' (apply, and address the gaps you name) or 'skip', with "
        "reasons that cite both Oscar and Rita. Answer JSON only."
    )
    return Prompt(system=system, user=user, version="jury-helen-1")


def _check_oscar(inp: JuryInput, out: OscarOutput) -> list[str]:
    known = {e.atom_id for e in inp.evidence}
    cited = {a for p in out.points for a in p.evidence}
    return [f"cites evidence the match does not hold: {a}" for a in sorted(cited - known)]


OSCAR_TASK = Task(OSCAR, JuryInput, OscarOutput, "jury-oscar-1", oscar_prompt, rules.oscar, _check_oscar)
RITA_TASK = Task(RITA, JuryInput, RitaOutput, "jury-rita-1", rita_prompt, rules.rita)
HELEN_TASK = Task(HELEN, HelenInput, HelenOutput, "jury-helen-1", helen_prompt, rules.helen)
TASKS: dict[str, Task[Any, Any]] = {"oscar": OSCAR_TASK, "rita": RITA_TASK, "helen": HELEN_TASK}
