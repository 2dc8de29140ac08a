"""The MatchingStore and CandidateIndex contracts, against the in-memory implementations and
PostgreSQL (the projection; pgvector, with a small deterministic embedding model).

Both are seeded with the same versions: in memory directly, in PostgreSQL as the events the
projector folds (profiles, an observed posting and its derivation, an earlier match)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from infra.context import Context
from infra.service_ports import barrier, sink
from infra.worker import own_projector, project_forever
from processors.embeddings.provider import Vectors, l2_normalise
from processors.matching.match import PostingVersion, ProfileVersion, match_event, posting_version
from processors.memory_ports import InMemoryCandidateIndex, InMemoryMatchingStore
from processors.ports import CandidateIndex, MatchingStore
from processors.scoring.config import DEFAULT
from processors.scoring.models import Profile
from processors.scoring.score import score
from processors.services.matching import skill_codes
from processors.taxonomy.store import builtin
from projections.stores.candidate_index import EmbeddingIndex
from projections.stores.matching import PostgresMatchingStore
from schemas.models import (
    DerivationEvent,
    Event,
    Meta,
    PostingContent,
    PostingEvent,
    Producer,
    ProfileEvent,
    now_utc,
)

WHO = Producer(component="tests", version="1")
SKILLS = {"job-py": ["Python"], "job-pypg": ["Python", "PostgreSQL"]}
PROFILES = {"pr-py": ["Python"], "pr-care": ["Patient care"]}


def _meta(kind: str, run_id: str | None = None) -> Meta:
    return Meta(event_id=uuid.uuid4(), event_type=kind, occurred_at=now_utc(), producer=WHO, run_id=run_id)


@dataclass
class Seed:
    profiles: dict[str, ProfileVersion]
    postings: dict[str, PostingVersion]
    codes: dict[str, list[str]]
    events: list[Event]
    match_id: str


def _seed() -> Seed:
    taxonomy = builtin()
    events: list[Event] = []
    profiles: dict[str, ProfileVersion] = {}
    for pid, skills in PROFILES.items():
        doc = {"id": pid, "current_role": "Engineer", "skills": [{"name": s, "type": "Hard"} for s in skills]}
        event = ProfileEvent(meta=_meta("profile.created"), profile_id=pid, version=1,
                             content_hash=uuid.uuid4().hex * 2, document=json.dumps(doc))  # fmt: skip
        events.append(event)
        profiles[pid] = ProfileVersion(pid, 1, str(event.meta.event_id), Profile.model_validate(doc))
    postings: dict[str, PostingVersion] = {}
    codes: dict[str, list[str]] = {}
    for pid, skills in SKILLS.items():
        content = PostingContent(source="tests", title="Backend Engineer", company="Acme", location="Lisbon",
                                 description="Python services.")  # fmt: skip
        observed = PostingEvent(meta=_meta("posting.observed"), posting_id=pid, version=1,
                                content_hash=uuid.uuid4().hex * 2, content=content)  # fmt: skip
        codes[pid] = skill_codes(skills, taxonomy)
        mapped = [{"name": s, "code": c} for s, c in zip(skills, codes[pid], strict=True)]
        derivation = DerivationEvent(meta=_meta("derivation.created", run_id=str(uuid.uuid4())), posting_id=pid,
                                     version=1, posting_event_id=str(observed.meta.event_id),
                                     skills=json.dumps(mapped))  # fmt: skip
        events += [observed, derivation]
        postings[pid] = posting_version(pid, 1, str(derivation.meta.event_id), content, [], None, taxonomy)
    p, q = profiles["pr-py"], postings["job-py"]
    earlier = match_event(p, q, score(p.profile, q.posting, DEFAULT, taxonomy=taxonomy), None, "contract")
    events.append(earlier)
    return Seed(profiles, postings, codes, events, str(earlier.meta.event_id))


SEED = _seed()


@pytest.fixture(scope="module")
def real(module_stack: tuple[Any, Any]) -> Iterator[PostgresMatchingStore]:
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
        yield PostgresMatchingStore(ctx.endpoints.dsn, ctx.schema)
    finally:
        stop.set()
        projector.join(timeout=30)
        ctx.close()


class HashedWords:
    """A tiny embedding model: words hashed into 384 dimensions (the index's), rows unit length."""

    name, model, dimension = "hashed-words", "hashed-words-1", 384

    def embed(self, texts: Any) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in str(text).lower().split():
                out[i, int(uuid.uuid5(uuid.NAMESPACE_OID, word).int % self.dimension)] += 1.0
        return l2_normalise(out)


@pytest.fixture(params=["memory", pytest.param("real", marks=pytest.mark.stack)])
def index(request: pytest.FixtureRequest) -> CandidateIndex:
    if request.param == "real":
        real: PostgresMatchingStore = request.getfixturevalue("real")
        return EmbeddingIndex(real.dsn, real.schema, HashedWords)
    return InMemoryCandidateIndex(near_postings={"pr-py": ["job-py"]}, near_profiles={"job-py": ["pr-py"]},
                                  open_postings=list(SEED.postings))  # fmt: skip


@pytest.fixture(params=["memory", pytest.param("real", marks=pytest.mark.stack)])
def store(request: pytest.FixtureRequest) -> MatchingStore:
    if request.param == "real":
        real: MatchingStore = request.getfixturevalue("real")
        return real
    p, q = SEED.profiles["pr-py"], SEED.postings["job-py"]
    return InMemoryMatchingStore(profiles=dict(SEED.profiles), postings=dict(SEED.postings), codes=dict(SEED.codes),
                                 previous={(p.profile_id, q.posting_id): (SEED.match_id, p.event_id, q.event_id)})  # fmt: skip


def test_the_taxonomy_maps_every_seeded_skill() -> None:
    assert all(len(SEED.codes[pid]) == len(skills) for pid, skills in SKILLS.items())


def test_profile_versions_all_or_by_id_in_id_order(store: MatchingStore) -> None:
    with store.reading() as reads:
        assert reads.profile_versions() == [SEED.profiles["pr-care"], SEED.profiles["pr-py"]]
        assert reads.profile_versions(["pr-py", "pr-nobody"]) == [SEED.profiles["pr-py"]]


def test_posting_versions_are_the_derivations_in_force_of_open_postings(store: MatchingStore) -> None:
    with store.reading() as reads:
        got = reads.posting_versions(["job-pypg", "job-py", "job-nobody"], builtin())
    assert [(q.posting_id, q.version, q.event_id) for q in got] == [
        (pid, 1, SEED.postings[pid].event_id) for pid in ("job-py", "job-pypg")
    ]
    assert [q.posting.extracted_skills for q in got] == [
        SEED.postings[p].posting.extracted_skills for p in SKILLS
    ]


def test_postings_sharing_codes_rank_by_codes_shared_and_stop_at_k(store: MatchingStore) -> None:
    wanted = SEED.codes["job-pypg"]
    with store.reading() as reads:
        assert reads.postings_sharing_codes(wanted, 10) == ["job-pypg", "job-py"]
        assert reads.postings_sharing_codes(wanted, 1) == ["job-pypg"]
        assert reads.postings_sharing_codes([], 10) == []


def test_previous_matches_name_the_versions_each_pair_was_scored_from(store: MatchingStore) -> None:
    p, q = SEED.profiles["pr-py"], SEED.postings["job-py"]
    with store.reading() as reads:
        assert reads.previous_matches(["pr-py"]) == {
            ("pr-py", "job-py"): (SEED.match_id, p.event_id, q.event_id)
        }
        assert reads.previous_matches(["pr-py"], posting_ids=["job-pypg"]) == {}
        assert reads.previous_matches(["pr-care"]) == {}


def test_no_requirements_no_evidence(store: MatchingStore) -> None:
    with store.reading() as reads:
        assert reads.requirement_evidence(SEED.profiles["pr-py"], SEED.postings["job-py"]) == []


def test_the_index_embeds_each_version_once_and_finds_neighbours_among_what_it_holds(
    index: CandidateIndex,
) -> None:
    profiles, postings = list(SEED.profiles.values()), list(SEED.postings.values())
    assert index.index_profiles(profiles) == 2
    assert index.index_profiles(profiles) == 0
    assert index.unindexed_postings() == sorted(SEED.postings)
    index.index_postings(postings)
    assert index.unindexed_postings() == []
    near_postings = index.postings_near(profiles, 1)
    assert set(near_postings) == set(SEED.profiles)
    assert all(len(ids) <= 1 and set(ids) <= set(SEED.postings) for ids in near_postings.values())
    near_profiles = index.profiles_near(postings, 2)
    assert set(near_profiles) == set(SEED.postings)
    assert all(len(ids) <= 2 and set(ids) <= set(SEED.profiles) for ids in near_profiles.values())
    similar = index.similarity()
    assert similar("Python services", "Python services") == pytest.approx(1.0, abs=1e-6)
    assert 0.0 <= similar("Python services", "Patient care") < 1.0
