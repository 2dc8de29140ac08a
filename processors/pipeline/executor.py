"""Run many postings' pipelines together: each phase's asks are batched per engine (one
engine call per batch), while every posting's run stays isolated — a bad posting fails
only its own run.

Pure apart from the engines it is handed (adapters behind the `Engine` protocol) and
the reuse lookup (a read of earlier decisions).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from processors.llm.protocol import Engine, EngineError, EngineSpec, LLMRequest, LLMResult
from processors.llm.tasks import MissingInput, Task, TaskLookup
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import decision_event, derivation_event, run_event, run_id_for
from processors.pipeline.phases import PHASES, Ask, Outcome, Phase
from processors.pipeline.steps import STEPS, check_engine, step_index
from processors.pipeline.work import RunInput, RunWork
from processors.steps.models import GhostOutput
from schemas.limits import describe, event_problems, priority_problem, storable_text, value_problems
from schemas.models import Event


@dataclass(frozen=True)
class ReuseKey:
    task: str
    input_hash: str
    engine: str
    model: str
    prompt_hash: str
    taxonomy: str | None = None  # the identity of the taxonomy the task read; None when it reads none


@dataclass(frozen=True)
class Reusable:
    decision_id: str
    output: dict[str, Any]


ReuseLookup = Callable[[list[ReuseKey]], dict[ReuseKey, Reusable]]
EngineProvider = Callable[[str], Engine]


@dataclass
class RunResult:
    work: RunWork
    events: list[Event]

    @property
    def status(self) -> str:
        return "failed" if self.work.failed else "completed"


def input_hash(task: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps({"task": task, "input": payload}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def no_reuse(_keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
    return {}


def execute(
    inputs: Sequence[RunInput],
    config: PipelineConfig,
    engines: EngineProvider,
    reuse: ReuseLookup = no_reuse,
    *,
    tasks: TaskLookup,
) -> list[RunResult]:
    """`tasks` names the tasks the steps run: the wiring layer passes the ones its engines run
    (`processors.tasks`, built for the configured taxonomy)."""
    works = [_begin(i, config) for i in sorted(inputs, key=lambda i: -i.command.priority)]
    for phase in PHASES:
        active = [w for w in works if w.failed is None and step_index(phase.step) >= step_index(w.start_step)]
        _run_phase(phase, active, config, engines, reuse, tasks)
    return [_finish(w) for w in works]


def _begin(run: RunInput, config: PipelineConfig) -> RunWork:
    run, unstorable = _storable(run)
    cmd = run.command
    start = cmd.start_step if run.prior is not None else STEPS[0]
    w = RunWork(
        input=run, run_id=run_id_for(cmd), engines=config.effective(cmd.model_overrides), start_step=start
    )
    # A command from an older or foreign producer: fail its run before any engine is asked,
    # rather than the whole batch or the projection.
    if unstorable:
        w.fail(start, unstorable)
    if start not in STEPS or start == "complete_run":
        w.fail(start, f"unknown start step {start!r}")
    unknown = _unknown_engines(w.engines)
    if unknown:
        w.fail(start, unknown)
    if run.posting is None:
        w.fail(start, f"posting {cmd.posting_id!r} is not in the projection (was it ingested?)")
    elif run.posting.status != "open":
        w.fail(start, f"posting {cmd.posting_id!r} is {run.posting.status}; only open postings are processed")
    if run.prior is not None:
        _prefill(w, run)
    return w


def _storable(run: RunInput) -> tuple[RunInput, str | None]:
    """The run's command with values its run events can carry, and what had to change, if anything.

    Run events copy the command's priority, reason and overrides; one that the log or the
    projection cannot hold would make the failed run itself a poison pill."""
    cmd = run.command
    problems = event_problems(cmd)
    if not problems:
        return run, None
    safe = cmd.model_copy(
        update={
            "posting_id": storable_text(cmd.posting_id, 200),
            "priority": cmd.priority if priority_problem(cmd.priority) is None else 0,
            "reason": storable_text(cmd.reason),
            "requested_by": storable_text(cmd.requested_by, 200),
            "start_step": storable_text(cmd.start_step, 100),
            "model_overrides": {
                storable_text(k, 100): storable_text(v, 300) for k, v in cmd.model_overrides.items()
            },
        }
    )
    return replace(run, command=safe), f"the command cannot be run: {describe(problems)}"


def _unknown_engines(engines: dict[str, str]) -> str | None:
    problems = []
    for task, spec in sorted(engines.items()):
        try:
            check_engine(spec)
        except ValueError as exc:
            problems.append(f"{task}: {exc}")
    return "; ".join(problems) or None


def _prefill(w: RunWork, run: RunInput) -> None:
    prior = run.prior
    assert prior is not None
    found = prior.findings
    w.summary = prior.summary
    w.summary_grades = list(found.summary_grades)
    w.summary_passed = found.summary_passed
    w.requirements = prior.requirement_texts
    w.responsibilities = list(prior.responsibilities)
    w.culture_text = prior.culture_text or ""
    w.decompositions = prior.decompositions
    w.lily_decisions = [str(r.get("decision_id") or "") for r in prior.requirements]
    w.skills = prior.mapped_skills
    w.flags, w.reviews = list(found.flags), list(found.reviews)
    w.verdict = found.verdict
    w.ghost = (
        None
        if prior.ghost_score is None
        else GhostOutput(ghost_score=prior.ghost_score, signals=found.ghost_signals)
    )
    w.sources = {step: list(ids) for step, ids in run.prior_decisions.items()}


@dataclass
class _Pending:
    work: RunWork
    ask: Ask
    task: Task[Any, Any]
    spec: EngineSpec
    request: LLMRequest
    reads: list[str]
    key: ReuseKey
    attempt: int = 1
    recorded: EngineSpec | None = None  # the spec a decision names, when it is not `spec`


def _run_phase(
    phase: Phase,
    works: list[RunWork],
    config: PipelineConfig,
    engines: EngineProvider,
    reuse: ReuseLookup,
    tasks: TaskLookup,
) -> None:
    pending: list[_Pending] = []
    for w in works:
        for ask in phase.asks(w):
            p = _prepare(phase, w, ask, engines, tasks(ask.task))
            if p is not None:
                pending.append(p)
    pending = _apply_reuse(phase, pending, reuse)
    while pending:
        retry: list[_Pending] = []
        by_engine: dict[str, list[_Pending]] = defaultdict(list)
        for p in pending:
            by_engine[str(p.spec)].append(p)
        for spec, group in by_engine.items():
            for start in range(0, len(group), config.batch_size):
                chunk = group[start : start + config.batch_size]
                results, answered = _generate(engines, spec, chunk)
                for p, result in zip(chunk, results, strict=True):
                    again = _settle(phase, p, result, config, answered)
                    if again is not None:
                        retry.append(again)
        pending = retry


def _recorded(engines: EngineProvider, spec: EngineSpec) -> EngineSpec:
    """A ruleset bound to resources (hybrid-1's linker) names them in the model it records,
    so the reuse key and the provenance change with them. An engine that cannot be built
    fails later, when it is called, like any other."""
    name = getattr(engines, "recorded_model", None)
    if name is None:
        return spec
    try:
        return spec.model_copy(update={"model": name(spec)})
    except (EngineError, ValueError, LookupError, OSError, ImportError):
        return spec


def _prepare(
    phase: Phase, w: RunWork, ask: Ask, engines: EngineProvider, task: Task[Any, Any]
) -> _Pending | None:
    spec = EngineSpec.parse(w.engines.get(ask.engine_key) or w.engines[ask.task])
    recorded = _recorded(engines, spec)
    reads = [w.posting.event_id, *(i for s in phase.reads for i in w.sources.get(s, []))]
    try:
        prompt = task.build_prompt(ask.input)
    except MissingInput as exc:
        # Loud and early: no model is called with a hole in its prompt.
        _record(
            phase,
            w,
            ask,
            recorded,
            reads,
            "",
            ("", ""),
            None,
            "failed",
            error=str(exc),
            taxonomy=task.taxonomy,
        )
        return None
    payload = ask.input.model_dump(mode="json")
    request = LLMRequest(
        request_id=f"{w.run_id}/{ask.engine_key}/{ask.item_index}",
        task=ask.task,
        payload=payload,
        prompt=prompt,
        json_schema=task.json_schema(),
    )
    # Hashed once: the payload may hold a long description, and retries reuse the key.
    key = ReuseKey(
        ask.engine_key, input_hash(ask.task, payload), spec.engine, recorded.model, prompt.hash, task.taxonomy
    )
    return _Pending(w, ask, task, spec, request, reads, key, recorded=recorded)


def _apply_reuse(phase: Phase, pending: list[_Pending], reuse: ReuseLookup) -> list[_Pending]:
    keys = {id(p): p.key for p in pending}
    found = reuse(list(keys.values())) if pending else {}
    rest = []
    for p in pending:
        hit = found.get(keys[id(p)])
        if hit is None:
            rest.append(p)
            continue
        output = p.task.output_model.model_validate(hit.output)
        _record(
            phase,
            p.work,
            p.ask,
            p.recorded or p.spec,
            p.reads,
            keys[id(p)].input_hash,
            _prompt(p),
            output,
            "reused",
            reused=hit.decision_id,
            taxonomy=p.task.taxonomy,
        )
    return rest


def _prompt(p: _Pending) -> tuple[str, str]:
    return p.request.prompt.version, p.request.prompt.hash


def _generate(engines: EngineProvider, spec: str, chunk: list[_Pending]) -> tuple[list[LLMResult], bool]:
    """The results, and whether the engine answered at all (False: it could not be built or called)."""
    try:
        results = engines(spec).generate([p.request for p in chunk])
        if len(results) != len(chunk):
            raise EngineError(f"engine {spec} returned {len(results)} results for {len(chunk)} requests")
        return results, True
    except (EngineError, ValueError, LookupError, OSError) as exc:
        failed = [
            LLMResult(request_id=p.request.request_id, ok=False, error=f"engine {spec}: {exc}") for p in chunk
        ]
        return failed, False


def _settle(
    phase: Phase, p: _Pending, result: LLMResult, config: PipelineConfig, answered: bool = True
) -> _Pending | None:
    """Validate and check one result; record its decision; return the retry if policy allows."""
    output, error, flags = None, result.error, []
    if result.ok and result.output is not None:
        try:
            output = p.task.output_model.model_validate(result.output)
        except ValidationError as exc:
            error = f"schema-invalid output: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}"
        if output is not None and (unstorable := value_problems(output.model_dump(mode="python"))):
            # NUL, NaN or an unbounded list would poison the log and the projection.
            error, output = f"unstorable output: {describe(unstorable)}", None
        if output is not None:
            problems = p.task.check(p.ask.input, output)
            if problems:
                error, flags, output = "; ".join(problems)[:2000], ["NOT_IN_SOURCE"], None
            else:
                flags = phase.flags(output)
    status = "ok" if output is not None else ("rejected" if flags else "failed")
    can_retry = output is None and p.spec.engine != "rules" and p.attempt <= config.retries
    _record(
        phase,
        p.work,
        p.ask,
        p.recorded or p.spec,
        p.reads,
        p.key.input_hash,
        _prompt(p),
        output,
        status,
        error=error or ("no output" if output is None else None),
        result=result,
        flags=flags,
        attempt=p.attempt,
        final=not can_retry,
        answered=answered,
        taxonomy=p.task.taxonomy,
    )
    if can_retry:
        return _Pending(p.work, p.ask, p.task, p.spec, p.request, p.reads, p.key, p.attempt + 1, p.recorded)
    return None


def _record(
    phase: Phase,
    w: RunWork,
    ask: Ask,
    spec: EngineSpec,
    reads: list[str],
    in_hash: str,
    prompt: tuple[str, str],
    output: Any,
    status: str,
    *,
    error: str | None = None,
    reused: str | None = None,
    result: LLMResult | None = None,
    flags: list[str] | None = None,
    attempt: int = 1,
    final: bool = True,
    answered: bool = True,
    taxonomy: str | None = None,
) -> None:
    decision = decision_event(
        w,
        step=phase.step,
        task=ask.task,
        role=ask.role,
        item_index=ask.item_index,
        attempt=attempt,
        spec=(spec.engine, spec.model),
        prompt=prompt,
        input_hash=in_hash,
        input_event_ids=reads,
        output=output.model_dump(mode="json") if output is not None else None,
        status=status,
        latency_ms=result.latency_ms if result else 0.0,
        tokens=(result.tokens_in, result.tokens_out) if result else (0, 0),
        reused=reused,
        error=storable_text(error) if output is None and error is not None else None,
        flags=flags,
        taxonomy=taxonomy,
    )
    w.decisions.append(decision)
    w.own_ids.add(str(decision.meta.event_id))
    if not final:
        return
    decision_id = str(decision.meta.event_id)
    if output is not None:
        w.sources.setdefault(phase.step, [])
        if decision_id not in w.sources[phase.step]:
            w.sources[phase.step] = (
                [*w.sources[phase.step], decision_id] if _same_run(w, phase) else [decision_id]
            )
    phase.apply(w, Outcome(ask, decision_id, output, error, answered=answered))


def _same_run(w: RunWork, phase: Phase) -> bool:
    # Sources inherited from the prior derivation are replaced, not extended, once the step reruns.
    return any(i in w.own_ids for i in w.sources.get(phase.step, []))


def _finish(w: RunWork) -> RunResult:
    events: list[Event] = [run_event(w, "started")]
    events.extend(w.decisions)
    derivation = derivation_event(w, w.input.next_version) if w.failed is None else None
    if derivation is not None and (problems := event_problems(derivation)):
        # Never emit what the log or the projection cannot hold: the posting keeps its last good version.
        w.fail("complete_run", f"the derivation cannot be stored: {describe(problems)}")
    if w.failed is None and derivation is not None:
        events.append(derivation)
        events.append(run_event(w, "completed", w.input.next_version))
    else:
        events.append(run_event(w, "failed"))
    return RunResult(w, events)
