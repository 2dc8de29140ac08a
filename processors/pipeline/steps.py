"""The posting pipeline's steps, in order, and the tasks each step runs (DESIGN §5)."""

from __future__ import annotations

from processors.llm.options import OPTIONS_BY_ENGINE
from processors.llm.protocol import EngineSpec
from schemas.limits import priority_problem, text_problem

STEPS: tuple[str, ...] = (
    "extract_summary",
    "grade_summary",
    "improve_summary",
    "extract_requirements",
    "lily",
    "map_skills",
    "red_flags",
    "ghost_score",
    "complete_run",
)

STEP_TASKS: dict[str, tuple[str, ...]] = {
    "extract_summary": ("extract_summary",),
    "grade_summary": ("grade_grounding", "grade_coverage"),
    "improve_summary": ("improve_summary",),
    "extract_requirements": ("extract_requirements",),
    "lily": ("lily",),
    "map_skills": ("map_skills",),
    "red_flags": ("red_flags_analyst", "red_flags_skeptic", "red_flags_verdict"),
    "ghost_score": ("ghost_score",),
    "complete_run": (),
}

TASK_STEP: dict[str, str] = {task: step for step, tasks in STEP_TASKS.items() for task in tasks}
# Lily's ensemble roles (seed 000) run the lily task under their own engines.
LILY_ROLES: tuple[str, ...] = ("primary", "validator", "uncertainty")
# The engine-configuration keys of the second-opinion roles: "lily.validator", "lily.uncertainty".
LILY_ROLE_KEYS: tuple[str, ...] = tuple(f"lily.{r}" for r in LILY_ROLES[1:])


def check_step(step: str) -> str:
    if step not in STEPS or step == "complete_run":
        runnable = ", ".join(s for s in STEPS if s != "complete_run")
        raise ValueError(f"unknown start step {step!r}; the steps are: {runnable}")
    return step


def check_engine(spec: str) -> str:
    """`ENGINE:MODEL` with an engine this build knows; the normalised spec, or ValueError."""
    parsed = EngineSpec.parse(spec)
    if parsed.engine not in OPTIONS_BY_ENGINE:
        raise ValueError(f"unknown engine {parsed.engine!r}; known engines: {', '.join(OPTIONS_BY_ENGINE)}")
    return str(parsed)


def check_request(*, priority: int, reason: str) -> None:
    """A reprocess request's values must fit the log and the projection (runs.priority is 32-bit)."""
    if (problem := priority_problem(priority)) is not None:
        raise ValueError(f"--priority {problem}")
    if (problem := text_problem(reason)) is not None:
        raise ValueError(f"--reason {problem}")
    if len(reason) > 2000:
        raise ValueError(f"--reason is {len(reason):,} characters; the limit is 2,000")


def step_index(step: str) -> int:
    return STEPS.index(step)


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`STEP=ENGINE:MODEL` (or `TASK=...`, or `lily.validator=...`) into a task -> spec map."""
    out: dict[str, str] = {}
    for item in items:
        target, sep, spec = item.partition("=")
        target = target.strip()
        if not sep:
            raise ValueError(
                f"--model {item!r} must look like STEP=ENGINE:MODEL, e.g. lily=rules:rules-broad"
            )
        try:
            parsed = check_engine(spec)
        except ValueError as exc:
            raise ValueError(f"--model {item!r}: {exc}") from None
        if target in STEP_TASKS:
            for task in STEP_TASKS[target]:
                out[task] = parsed
        elif target in TASK_STEP or target in LILY_ROLE_KEYS:
            out[target] = parsed
        else:
            known = sorted({*STEP_TASKS, *TASK_STEP, *LILY_ROLE_KEYS} - {"complete_run"})
            raise ValueError(f"--model {item!r}: unknown step or task {target!r}; known: {', '.join(known)}")
    return out
