"""The PipelineStore and JuryStore contracts, against the in-memory stores and the projection.

Both are seeded with the same history: two observed postings, two derivation versions of
one of them, and the decisions those came from (in PostgreSQL as events the projector folds)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from infra.context import Context
from infra.service_ports import barrier, sink
from infra.worker import own_projector, project_forever
from processors.memory_ports import InMemoryJuryStore, InMemoryPipelineStore
from processors.pipeline.executor import Reusable, ReuseKey
from processors.pipeline.work import PostingState, PriorDerivation
from processors.ports import JuryStore, PipelineStore
from projections.stores.jury import PostgresJuryStore
from projections.stores.pipeline import PostgresPipelineStore
from schemas.models import DecisionEvent, DerivationEvent, Event, Meta, PostingContent, PostingEvent, Producer

WHO = Producer(component="tests", version="1")
AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
P1, P2 = "contract-p1", "contract-p2"
R1, R2 = "run-contract-1", "run-contract-2"
KEY = ReuseKey(
    task="extract_requirements", input_hash="in-1", engine="rules", model="lines", prompt_hash="ph-1"
)


def _meta(kind: str, run_id: str | None = None) -> Meta:
    return Meta(event_id=uuid.uuid4(), event_type=kind, occurred_at=AT, producer=WHO, run_id=run_id)


def _decision(step: str, run_id: str, key: ReuseKey) -> DecisionEvent:
    return DecisionEvent(meta=_meta("decision.made", run_id), subject_id=P1, step=step, engine=key.engine,
                         model=key.model, prompt_version="1", prompt_hash=key.prompt_hash, input_hash=key.input_hash,
                         output=json.dumps({"lines": ["Python"]}), status="ok", task=key.task)  # fmt: skip


def _derivation(
    version: int, run_id: str, observed: PostingEvent, decision: DecisionEvent
) -> DerivationEvent:
    return DerivationEvent(meta=_meta("derivation.created", run_id), posting_id=P1, version=version,
                           posting_event_id=str(observed.meta.event_id), decision_ids=[str(decision.meta.event_id)],
                           summary=f"v{version}")  # fmt: skip


@dataclass
class Seed:
    observed: dict[str, PostingEvent]
    decisions: list[DecisionEvent]
    derivations: list[DerivationEvent]

    @property
    def events(self) -> list[Event]:
        return [*self.observed.values(), *self.decisions, *self.derivations]


def _seed() -> Seed:
    observed = {
        pid: PostingEvent(
            meta=_meta("posting.observed"),
            posting_id=pid,
            version=1,
            content_hash=uuid.uuid4().hex * 2,
            content=PostingContent(
                source="tests", title="Barista", company="Acme", location="Lisbon", description="- Espresso"
            ),
        )
        for pid in (P1, P2)
    }
    other = ReuseKey(task="summarize", input_hash="in-2", engine="rules", model="lines", prompt_hash="ph-2")
    d1, d2 = _decision("extract_requirements", R1, KEY), _decision("summarize", R2, other)
    derivations = [_derivation(1, R1, observed[P1], d1), _derivation(2, R2, observed[P1], d2)]
    return Seed(observed, [d1, d2], derivations)


SEED = _seed()


def _prior(d: DerivationEvent) -> PriorDerivation:
    return PriorDerivation(version=d.version, event_id=str(d.meta.event_id), posting_event_id=d.posting_event_id,
                           summary=d.summary, culture_text=None, requirements=[], responsibilities=[], skills=[],
                           red_flags={}, ihl_score=None, red_flag_category=None, ghost_score=None,
                           decision_ids=list(d.decision_ids))  # fmt: skip


def _memory() -> tuple[InMemoryPipelineStore, InMemoryJuryStore]:
    d1 = SEED.decisions[0]
    reuse = {KEY: Reusable(str(d1.meta.event_id), {"lines": ["Python"]})}
    pipeline = InMemoryPipelineStore(
        postings={
            pid: PostingState(
                posting_id=pid,
                event_id=str(e.meta.event_id),
                content=e.content,
                status="open",
                first_seen_at=AT,
            )
            for pid, e in SEED.observed.items()
        },
        derivations_by_version={(P1, d.version): _prior(d) for d in SEED.derivations},
        in_force={P1: 2},
        decision_steps={str(d.meta.event_id): d.step for d in SEED.decisions},
        decision_runs={str(d.meta.event_id): d.meta.run_id or "" for d in SEED.decisions},
        reuse=dict(reuse),
    )
    return pipeline, InMemoryJuryStore(reuse=dict(reuse))


@pytest.fixture(scope="module")
def real(module_stack: tuple[Any, Any]) -> Iterator[tuple[PostgresPipelineStore, PostgresJuryStore]]:
    ctx = Context(module_stack[1], component="tests")
    stop = threading.Event()
    projector = threading.Thread(
        target=project_forever, args=(own_projector(ctx, "contract"), stop), daemon=True
    )
    projector.start()
    try:
        out = sink(ctx, "tests-contract")
        for event in SEED.events:
            out.send(event)
        barrier(ctx).wait(out.flush())
        yield (
            PostgresPipelineStore(ctx.endpoints.dsn, ctx.schema),
            PostgresJuryStore(ctx.endpoints.dsn, ctx.schema),
        )
    finally:
        stop.set()
        projector.join(timeout=30)
        ctx.close()


@pytest.fixture(params=["memory", pytest.param("real", marks=pytest.mark.stack)])
def stores(request: pytest.FixtureRequest) -> tuple[PipelineStore, JuryStore]:
    if request.param == "real":
        real: tuple[PipelineStore, JuryStore] = request.getfixturevalue("real")
        return real
    return _memory()


def test_posting_states_of_the_postings_projected(stores: tuple[PipelineStore, JuryStore]) -> None:
    with stores[0].reading() as reads:
        states = reads.posting_states([P1, P2, "contract-nobody"])
    assert {pid: (s.event_id, s.status, s.times_seen, s.content) for pid, s in states.items()} == {
        pid: (str(e.meta.event_id), "open", 1, e.content) for pid, e in SEED.observed.items()
    }


def test_derivations_in_force_or_at_a_version(stores: tuple[PipelineStore, JuryStore]) -> None:
    v1, v2 = SEED.derivations
    with stores[0].reading() as reads:
        in_force = reads.derivations([P1, P2])
        first = reads.derivations([P1], 1)
        assert reads.max_versions([P1, P2]) == {P1: 2}
        assert reads.newest_version_below(P1, 2) == 1 and reads.newest_version_below(P1, 1) is None
        ids = [str(v1.meta.event_id), str(v2.meta.event_id), str(uuid.uuid4())]
        assert reads.derivation_versions(ids) == {ids[0]: (P1, 1), ids[1]: (P1, 2)}
    assert list(in_force) == [P1]
    assert (in_force[P1].version, in_force[P1].event_id, in_force[P1].summary) == (
        2,
        str(v2.meta.event_id),
        "v2",
    )
    assert (first[P1].version, first[P1].decision_ids) == (1, list(v1.decision_ids))


def test_decisions_by_run_and_by_step(stores: tuple[PipelineStore, JuryStore]) -> None:
    d1, d2 = (str(d.meta.event_id) for d in SEED.decisions)
    with stores[0].reading() as reads:
        assert reads.decisions_of_runs([R1]) == {d1}
        assert reads.decisions_of_runs(["run-nobody"]) == set()
        assert reads.decisions_by_step([d1, d2]) == {"extract_requirements": [d1], "summarize": [d2]}


def test_reusable_decisions_by_key_in_both_stores(stores: tuple[PipelineStore, JuryStore]) -> None:
    pipeline, jury = stores
    unknown = ReuseKey(task="summarize", input_hash="nope", engine="rules", model="lines", prompt_hash="ph-2")
    expected = {KEY: Reusable(str(SEED.decisions[0].meta.event_id), {"lines": ["Python"]})}
    assert pipeline.reusable([KEY, unknown]) == expected
    assert pipeline.reusable([]) == {}
    with jury.reading() as reads:
        assert reads.reusable([KEY, unknown]) == expected
        assert reads.juried([str(uuid.uuid4())], "rules:helen") == set()
