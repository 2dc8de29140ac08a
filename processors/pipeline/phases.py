"""Each phase of a run: the task inputs it asks for, and how its outputs update the run.

Phases are pure: they read a `RunWork` and return `Ask`s; `apply` folds a decided output
back into the work. The executor batches the asks of many runs per engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from processors.lily.model import MAX_LINE_CHARS, Decomposition, ProofStack
from processors.lily.task import LilyInput
from processors.pipeline.work import RunWork, SummaryGrade
from processors.steps.models import (
    AnalystOutput,
    GhostInput,
    GhostOutput,
    GradeInput,
    GradeOutput,
    ImproveInput,
    PostingText,
    RedFlagInput,
    RequirementsOutput,
    SkepticInput,
    SkepticOutput,
    SummaryOutput,
    VerdictInput,
    VerdictOutput,
)
from processors.taxonomy.task import MapSkillsInput, MapSkillsOutput, RequirementRef


@dataclass(frozen=True)
class Ask:
    task: str
    input: BaseModel
    item_index: int | None = None
    role: str = "primary"

    @property
    def engine_key(self) -> str:
        return self.task if self.role == "primary" else f"{self.task}.{self.role}"


@dataclass(frozen=True)
class Outcome:
    """What the executor decided for one ask: the validated output, or why there is none."""

    ask: Ask
    decision_id: str
    output: BaseModel | None
    error: str | None = None
    # False when the engine could not be reached or built: no answer at all, not a bad one.
    answered: bool = True


def _no_flags(_output: BaseModel) -> list[str]:
    return []


@dataclass(frozen=True)
class Phase:
    step: str
    reads: tuple[str, ...]
    asks: Callable[[RunWork], list[Ask]]
    apply: Callable[[RunWork, Outcome], None]
    # Flags on a valid output: worth a reader's attention, never a failure.
    flags: Callable[[BaseModel], list[str]] = _no_flags


def _text(w: RunWork) -> PostingText:
    c = w.posting.content
    return PostingText(title=c.title, company=c.company, description=c.description, location=c.location)


def _must(w: RunWork, step: str, o: Outcome) -> Any:
    if o.output is None:
        w.fail(step, f"{o.ask.task}: {o.error}")
    return o.output


# --- summary ---------------------------------------------------------------------------------


def _summary_asks(w: RunWork) -> list[Ask]:
    return [Ask("extract_summary", _text(w))]


def _summary_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "extract_summary", o)
    if isinstance(out, SummaryOutput):
        w.summary = out.summary


def _grade_asks(round_: int) -> Callable[[RunWork], list[Ask]]:
    def asks(w: RunWork) -> list[Ask]:
        if round_ == 1 and not w.improved:
            return []
        if round_ == 0:
            w.summary_grades = []
        gi = GradeInput(**_text(w).model_dump(), summary=w.summary or "")
        return [Ask("grade_grounding", gi, round_), Ask("grade_coverage", gi, round_)]

    return asks


def _grade_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "grade_summary", o)
    if isinstance(out, GradeOutput):
        grade = SummaryGrade(task=o.ask.task, round=o.ask.item_index, **out.model_dump())
        w.summary_grades = [g for g in w.summary_grades if g.task != o.ask.task] + [grade]
        w.summary_passed = all(g.passed for g in w.summary_grades)


def _improve_asks(w: RunWork) -> list[Ask]:
    if w.summary_passed and w.start_step != "improve_summary":
        return []
    reasons = [r for g in w.summary_grades if not g.passed for r in g.reasons] or ["reprocess requested"]
    return [
        Ask(
            "improve_summary", ImproveInput(**_text(w).model_dump(), summary=w.summary or "", reasons=reasons)
        )
    ]


def _improve_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "improve_summary", o)
    if isinstance(out, SummaryOutput):
        w.summary, w.improved = out.summary, True


# --- requirements and Lily -------------------------------------------------------------------


def _requirements_asks(w: RunWork) -> list[Ask]:
    return [Ask("extract_requirements", _text(w))]


def _requirements_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "extract_requirements", o)
    if isinstance(out, RequirementsOutput):
        w.requirements = list(out.requirements)
        w.responsibilities = list(out.responsibilities)
        w.culture_text = out.culture_text


def _requirements_flags(output: BaseModel) -> list[str]:
    # A posting can state no requirements (a short ad, a culture page): an empty list is its
    # valid result, flagged so a reader knows the matcher has only the title to go on.
    return ["NO_REQUIREMENTS"] if isinstance(output, RequirementsOutput) and not output.requirements else []


def _lily_input(w: RunWork, i: int) -> LilyInput:
    reqs = w.requirements
    neighbours = [reqs[j] for j in (i - 1, i + 1) if 0 <= j < len(reqs)]
    return LilyInput(text=reqs[i], title=w.posting.content.title, neighbours=neighbours)


def _lily_asks(w: RunWork) -> list[Ask]:
    w.decompositions = [Decomposition(text=t, proof_stacks=[]) for t in w.requirements]
    w.lily_decisions = [""] * len(w.requirements)
    return [Ask("lily", _lily_input(w, i), i) for i in range(len(w.requirements))]


def _unparsed(text: str, flag: str) -> Decomposition:
    # A rejected decomposition is never projected as valid: the line stays, its layers empty, flagged.
    stack = ProofStack(parse_confidence=0.0, flags=[flag])
    return Decomposition(text=text, proof_stacks=[stack])


def _lily_apply(w: RunWork, o: Outcome) -> None:
    i = o.ask.item_index or 0
    if not o.answered:
        # A bad answer flags its line; no answer means the step failed, and nothing is derived.
        w.fail("lily", f"lily: {o.error}")
    w.lily_decisions[i] = o.decision_id
    if isinstance(o.output, Decomposition) and o.output.proof_stacks:
        w.decompositions[i] = Decomposition(text=w.requirements[i], proof_stacks=o.output.proof_stacks)
    else:
        w.decompositions[i] = _unparsed(w.requirements[i], "NOT_IN_SOURCE" if o.error else "UNCERTAIN")
    if len(w.requirements[i]) > MAX_LINE_CHARS:
        # Whatever the engine, only the capped line was read: say so on every stack.
        d = w.decompositions[i]
        stacks = [
            s.model_copy(update={"flags": sorted({*s.flags, "LINE_TRUNCATED"})}) for s in d.proof_stacks
        ]
        w.decompositions[i] = Decomposition(text=d.text, proof_stacks=stacks)


def _role_asks(role: str) -> Callable[[RunWork], list[Ask]]:
    def asks(w: RunWork) -> list[Ask]:
        if f"lily.{role}" not in w.engines:
            return []
        return [Ask("lily", _lily_input(w, i), i, role) for i in range(len(w.requirements))]

    return asks


def _layers(stack: ProofStack) -> tuple[Any, ...]:
    return (
        stack.skill.name.lower() if stack.skill else None,
        (stack.experience.value, stack.experience.unit) if stack.experience else None,
        stack.certification.kind if stack.certification else None,
        stack.track_record.category if stack.track_record else None,
    )


def _role_apply(w: RunWork, o: Outcome) -> None:
    """Validator disagreement or an uncertain second model lowers confidence and flags the line."""
    i = o.ask.item_index or 0
    if not o.answered:
        w.fail("lily", f"lily.{o.ask.role}: {o.error}")
        return
    mine = w.decompositions[i]
    if not isinstance(o.output, Decomposition) or not mine.proof_stacks:
        return
    theirs = o.output.proof_stacks
    if o.ask.role == "validator":
        doubt = {_layers(s) for s in mine.proof_stacks} != {_layers(s) for s in theirs}
        flag = "VALIDATOR_DISAGREES"
    else:
        doubt = min((s.parse_confidence for s in theirs), default=0.0) < 0.5
        flag = "UNCERTAIN"
    if doubt:
        stacks = [
            s.model_copy(
                update={
                    "parse_confidence": round(s.parse_confidence * 0.7, 3),
                    "flags": sorted({*s.flags, flag}),
                }
            )
            for s in mine.proof_stacks
        ]
        w.decompositions[i] = Decomposition(text=mine.text, proof_stacks=stacks)


def _skills_asks(w: RunWork) -> list[Ask]:
    refs = []
    for i, d in enumerate(w.decompositions):
        names = [s.skill.name for s in d.proof_stacks if s.skill]
        implied = sorted({n for s in d.proof_stacks for n in s.implied_skills})
        refs.append(RequirementRef(index=i, text=d.text, skill_names=names, implied=implied))
    return [Ask("map_skills", MapSkillsInput(title=w.posting.content.title, requirements=refs))]


def _skills_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "map_skills", o)
    if isinstance(out, MapSkillsOutput):
        w.skills = list(out.skills)


# --- red flags and ghost ---------------------------------------------------------------------


def _flag_input(w: RunWork) -> RedFlagInput:
    c = w.posting.content
    return RedFlagInput(
        **_text(w).model_dump(),
        summary=w.summary or "",
        requirements=w.requirements,
        salary_min=c.salary_min,
        salary_max=c.salary_max,
        currency=c.currency,
        posted_at=c.posted_at,
        times_seen=w.posting.times_seen,
    )


def _analyst_asks(w: RunWork) -> list[Ask]:
    return [Ask("red_flags_analyst", _flag_input(w))]


def _analyst_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "red_flags", o)
    if isinstance(out, AnalystOutput):
        w.flags = list(out.flags)


def _skeptic_asks(w: RunWork) -> list[Ask]:
    return [Ask("red_flags_skeptic", SkepticInput(**_flag_input(w).model_dump(), flags=w.flags))]


def _skeptic_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "red_flags", o)
    if isinstance(out, SkepticOutput):
        w.reviews = list(out.reviews)


def _verdict_asks(w: RunWork) -> list[Ask]:
    vi = VerdictInput(title=w.posting.content.title, flags=w.flags, reviews=w.reviews)
    return [Ask("red_flags_verdict", vi)]


def _verdict_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "red_flags", o)
    if isinstance(out, VerdictOutput):
        w.verdict = out


def _ghost_asks(w: RunWork) -> list[Ask]:
    p, c = w.posting, w.posting.content
    gi = GhostInput(
        posted_at=c.posted_at,
        first_seen_at=p.first_seen_at,
        as_of=w.input.command.meta.occurred_at,
        times_seen=p.times_seen,
        times_changed=p.times_changed,
        has_salary=c.salary_min is not None or c.salary_max is not None,
        description_chars=len(c.description),
        ihl_score=w.verdict.ihl_score if w.verdict else None,
    )
    return [Ask("ghost_score", gi)]


def _ghost_apply(w: RunWork, o: Outcome) -> None:
    out = _must(w, "ghost_score", o)
    if isinstance(out, GhostOutput):
        w.ghost = out


PHASES: tuple[Phase, ...] = (
    Phase("extract_summary", (), _summary_asks, _summary_apply),
    Phase("grade_summary", ("extract_summary",), _grade_asks(0), _grade_apply),
    Phase("improve_summary", ("extract_summary", "grade_summary"), _improve_asks, _improve_apply),
    Phase("improve_summary", ("improve_summary",), _grade_asks(1), _grade_apply),
    Phase("extract_requirements", (), _requirements_asks, _requirements_apply, _requirements_flags),
    Phase("lily", ("extract_requirements",), _lily_asks, _lily_apply),
    Phase("lily", ("extract_requirements",), _role_asks("validator"), _role_apply),
    Phase("lily", ("extract_requirements",), _role_asks("uncertainty"), _role_apply),
    Phase("map_skills", ("lily",), _skills_asks, _skills_apply),
    Phase("red_flags", ("extract_summary", "extract_requirements"), _analyst_asks, _analyst_apply),
    Phase("red_flags", ("red_flags",), _skeptic_asks, _skeptic_apply),
    Phase("red_flags", ("red_flags",), _verdict_asks, _verdict_apply),
    Phase("ghost_score", ("red_flags",), _ghost_asks, _ghost_apply),
)
