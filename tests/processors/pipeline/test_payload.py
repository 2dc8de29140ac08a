"""A v3 derivation event states exactly what its v2 JSON text stated: both read back to the same
projection JSON, and a v3 event survives the wire and the rollback restatement unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import rollback_event
from processors.pipeline.executor import execute
from processors.pipeline.payload import red_flags_json, requirements_json, skills_json
from processors.pipeline.work import PriorDerivation, RunWork
from processors.tasks import REGISTRY
from schemas import catalog, wire
from schemas.models import DerivationEvent, Producer
from tests.processors.pipeline.fixtures import Engines, sample_inputs

TYPED = (
    "requirement_lines",
    "mapped_skills",
    "analyst_flags",
    "flag_reviews",
    "verdict",
    "summary_grades",
    "summary_passed",
    "ghost_signals",
)


@pytest.fixture(scope="module")
def runs() -> list[tuple[RunWork, DerivationEvent]]:
    out = []
    for r in execute(sample_inputs(), PipelineConfig(), Engines(), tasks=REGISTRY):
        d = r.events[-2]
        assert isinstance(d, DerivationEvent)
        out.append((r.work, d))
    return out


def _v2_text(w: RunWork) -> dict[str, str]:
    """The JSON text a v2 producer wrote for this run (the builder as it was before v3)."""
    rows = [
        {
            "index": i,
            "text": d.text,
            "proof_stacks": [p.model_dump(mode="json") for p in d.proof_stacks],
            "decision_id": w.lily_decisions[i] if i < len(w.lily_decisions) else None,
        }
        for i, d in enumerate(w.decompositions)
    ]
    bag = {
        "flags": [f.model_dump(mode="json") for f in w.flags],
        "reviews": [r.model_dump(mode="json") for r in w.reviews],
        "verdict": w.verdict.model_dump(mode="json") if w.verdict else {},
        "summary_grades": [g.model_dump(mode="json") for g in w.summary_grades],
        "summary_passed": w.summary_passed,
        "ghost_signals": w.ghost.signals if w.ghost else [],
    }

    def text(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, sort_keys=True)

    return {
        "requirements": text(rows),
        "skills": text([s.model_dump(mode="json") for s in w.skills]),
        "red_flags": text(bag),
    }


def _as_v2(d: DerivationEvent, w: RunWork) -> DerivationEvent:
    return d.model_copy(update={**{f: None for f in TYPED}, **_v2_text(w)})


def test_v3_events_carry_typed_fields_and_leave_the_text_at_its_defaults(
    runs: list[tuple[RunWork, DerivationEvent]],
) -> None:
    for _, d in runs:
        assert (d.requirements, d.skills, d.red_flags) == ("[]", "[]", "{}")
        assert all(getattr(d, f) is not None for f in TYPED if f != "verdict")
        assert d.requirement_lines and d.requirement_lines[0].proof_stacks


def test_a_v3_event_and_its_v2_twin_read_back_to_the_same_json(
    runs: list[tuple[RunWork, DerivationEvent]],
) -> None:
    for w, d in runs:
        old = _as_v2(d, w)
        assert requirements_json(d) == requirements_json(old) == json.loads(old.requirements)
        assert skills_json(d) == skills_json(old) == json.loads(old.skills)
        assert red_flags_json(d) == red_flags_json(old) == json.loads(old.red_flags)


def test_the_typed_fields_survive_the_wire(runs: list[tuple[RunWork, DerivationEvent]]) -> None:
    for _, d in runs:
        data = wire.frame(1, catalog.parsed("derivations"), d.to_avro())
        back = DerivationEvent.model_validate(wire.unframe(data, catalog.parsed("derivations")))
        assert back == d
        assert requirements_json(back) == requirements_json(d)


def test_a_rollback_restates_the_target_in_typed_fields(runs: list[tuple[RunWork, DerivationEvent]]) -> None:
    for _, d in runs:
        prior = PriorDerivation(
            version=d.version, event_id=str(d.meta.event_id), posting_event_id=d.posting_event_id,
            summary=d.summary, culture_text=d.culture_text, requirements=requirements_json(d),
            responsibilities=d.responsibilities, skills=skills_json(d), red_flags=red_flags_json(d),
            ihl_score=d.ihl_score, red_flag_category=d.red_flag_category, ghost_score=d.ghost_score,
            decision_ids=d.decision_ids,
        )  # fmt: skip
        back = rollback_event(
            d.posting_id, prior, d.version + 1, "bad run", Producer(component="t", version="1")
        )
        assert [getattr(back, f) for f in TYPED] == [getattr(d, f) for f in TYPED]


def test_an_event_from_before_v2_reads_back_as_it_always_did() -> None:
    """v1 had no skills or red flags: the text defaults, projected as empty, as before v3."""
    d = DerivationEvent.model_validate(
        {
            "meta": {
                "event_id": "00000000-0000-0000-0000-000000000001",
                "event_type": "derivation.created",
                "occurred_at": "2026-11-02T09:30:00Z",
                "producer": {"component": "pipeline", "version": "1"},
            },
            "posting_id": "p-1",
            "version": 1,
            "posting_event_id": "e",
        }
    )
    assert (requirements_json(d), skills_json(d), red_flags_json(d)) == ([], [], {})
