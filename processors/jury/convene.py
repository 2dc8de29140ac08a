"""Convene the jury over scored matches: three decision events per match, in seat order.

Oscar and Rita read the match; Helen reads the match and both of their outputs. Each seat's
requests for all matches go to its engine in one call. A seat whose input hash, engine, model
and prompt equal an earlier successful decision reuses it (recorded as a `reused` decision
pointing at the origin), so an unchanged match does not pay for the jury twice. Ids derive
from the match event, the seat and its engine and prompt: a re-delivered match yields the same ids.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from processors.jury import tasks as jury_tasks
from processors.jury.config import JuryConfig
from processors.jury.models import HelenInput, JuryInput, OscarOutput, RitaOutput, jury_input
from processors.llm.protocol import Engine, EngineSpec, LLMRequest
from processors.llm.tasks import Task
from processors.pipeline.executor import Reusable, ReuseKey, input_hash
from schemas.models import DecisionEvent, MatchEvent, Producer, deterministic_id, event_meta

JURY = Producer(component="jury", version="1")
STEP = "jury"
SEATS = ("oscar", "rita", "helen")
ReuseLookup = Callable[[list[ReuseKey]], dict[ReuseKey, Reusable]]


def no_reuse(_keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
    return {}


@dataclass(frozen=True)
class _Ask:
    match: MatchEvent
    payload: BaseModel
    inputs: list[str]


def _decision(
    ask: _Ask, seat: str, spec: EngineSpec, task: Task[Any, Any], ihash: str, status: str, **extra: Any
) -> DecisionEvent:
    prompt = task.build_prompt(ask.payload)
    match_id = str(ask.match.meta.event_id)
    output = extra.pop("output", None)
    return DecisionEvent(
        meta=event_meta(
            f"decision.{status}",
            JURY,
            event_id=deterministic_id("jury", match_id, seat, str(spec), prompt.hash),
            causation_id=match_id,
            correlation_id=ask.match.profile_id,
        ),
        subject_id=ask.match.profile_id,
        step=STEP,
        engine=spec.engine,
        model=spec.model,
        prompt_version=prompt.version,
        prompt_hash=prompt.hash,
        input_hash=ihash,
        input_event_ids=ask.inputs,
        output=json.dumps(output, ensure_ascii=False, sort_keys=True) if output is not None else "",
        status=status,
        task=task.name,
        taxonomy=task.taxonomy,
        **extra,
    )


def _seat(
    seat: str, asks: Sequence[_Ask], engines: Callable[[str], Engine], config: JuryConfig, reuse: ReuseLookup
) -> list[DecisionEvent]:
    task = jury_tasks.TASKS[seat]
    spec = EngineSpec.parse(config.engine_for(seat))
    prepared = []
    for ask in asks:
        payload = ask.payload.model_dump(mode="json")
        prompt = task.build_prompt(ask.payload)
        key = ReuseKey(
            task.name, input_hash(task.name, payload), spec.engine, spec.model, prompt.hash, task.taxonomy
        )
        prepared.append((ask, payload, prompt, key))
    found = reuse([p[3] for p in prepared])
    out: list[DecisionEvent | None] = [None] * len(prepared)
    requests: list[tuple[int, LLMRequest]] = []
    for i, (ask, payload, prompt, key) in enumerate(prepared):
        hit = found.get(key)
        if hit is not None:
            out[i] = _decision(ask, seat, spec, task, key.input_hash, "reused", output=hit.output,
                               reused_decision_id=hit.decision_id)  # fmt: skip
            continue
        request = LLMRequest(request_id=str(i), task=task.name, payload=payload, prompt=prompt,
                             json_schema=task.json_schema())  # fmt: skip
        requests.append((i, request))
    if requests:
        results = engines(str(spec)).generate([r for _, r in requests])
        for (i, _), result in zip(requests, results, strict=True):
            ask, _payload, _prompt, key = prepared[i]
            timing = {"latency_ms": round(result.latency_ms, 3), "tokens_in": result.tokens_in,
                      "tokens_out": result.tokens_out, "attempts": result.attempts}  # fmt: skip
            problem = result.error if not result.ok else _problem(task, ask.payload, result.output)
            if problem is not None:
                out[i] = _decision(
                    ask, seat, spec, task, key.input_hash, "failed", error=problem[:4000], **timing
                )
            else:
                out[i] = _decision(
                    ask, seat, spec, task, key.input_hash, "ok", output=result.output, **timing
                )
    return [d for d in out if d is not None]


def _problem(task: Task[Any, Any], inp: BaseModel, output: dict[str, Any] | None) -> str | None:
    try:
        parsed = task.output_model.model_validate(output or {})
    except ValidationError as exc:
        return f"output does not fit {task.output_model.__name__}: {exc.error_count()} error(s)"
    problems = task.check(inp, parsed)
    return "; ".join(problems) if problems else None


def convene(
    matches: Sequence[MatchEvent],
    engines: Callable[[str], Engine],
    config: JuryConfig | None = None,
    reuse: ReuseLookup = no_reuse,
) -> list[DecisionEvent]:
    """Oscar's, Rita's and Helen's decisions for each match (Helen fails when a seat before her did)."""
    config = config or JuryConfig()
    inputs = {str(m.meta.event_id): jury_input(m) for m in matches}
    first = [_Ask(m, inputs[str(m.meta.event_id)], [str(m.meta.event_id)]) for m in matches]
    oscar = {d.meta.causation_id: d for d in _seat("oscar", first, engines, config, reuse)}
    rita = {d.meta.causation_id: d for d in _seat("rita", first, engines, config, reuse)}
    helen_asks: list[_Ask] = []
    failed: list[DecisionEvent] = []
    for m in matches:
        mid = str(m.meta.event_id)
        o, r = oscar[mid], rita[mid]
        both = [str(o.meta.event_id), str(r.meta.event_id)]
        if o.status == "failed" or r.status == "failed":
            ask = _Ask(m, HelenInput(match=inputs[mid], oscar=OscarOutput(points=[]), rita=RitaOutput(gaps=[])),
                       [mid, *both])  # fmt: skip
            spec = EngineSpec.parse(config.engine_for("helen"))
            task = jury_tasks.TASKS["helen"]
            failed.append(_decision(ask, "helen", spec, task, "", "failed", error="an earlier seat failed"))
            continue
        hin = HelenInput(
            match=inputs[mid],
            oscar=OscarOutput.model_validate_json(o.output),
            rita=RitaOutput.model_validate_json(r.output),
        )
        helen_asks.append(_Ask(m, hin, [mid, *both]))
    helen = {d.meta.causation_id: d for d in _seat("helen", helen_asks, engines, config, reuse) + failed}
    return [d for m in matches for d in (oscar[str(m.meta.event_id)], rita[str(m.meta.event_id)],
                                          helen[str(m.meta.event_id)])]  # fmt: skip


def jury_of(matches: Sequence[MatchEvent], config: JuryConfig) -> list[MatchEvent]:
    """The matches the jury convenes for on its own: the borderline band of recommendations."""
    return [m for m in matches if not m.blocked and m.recommendation in config.band]


__all__ = ["JURY", "SEATS", "STEP", "JuryInput", "convene", "jury_of", "no_reuse"]
