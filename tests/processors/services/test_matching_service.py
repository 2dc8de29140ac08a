"""The matching service on in-memory ports: candidates from both triggers, one handler, no
re-emission of what the log holds, nothing half-sent after a failed flush. No broker."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from processors.matching.match import PostingVersion, ProfileVersion
from processors.memory_ports import (
    InMemoryBarrier,
    InMemoryCandidateIndex,
    InMemoryEventLog,
    InMemoryEventSink,
    InMemoryMatchingStore,
    MemoryLog,
)
from processors.scoring.models import DerivedPosting, ExtractedSkill, Profile
from processors.services.matching import MatchingPorts, MatchingService, l3_of, skill_codes
from processors.taxonomy.store import builtin
from schemas.models import DerivationEvent, MatchEvent, Meta, Producer, ProfileEvent
from tests.conftest import SAMPLES

WHO = Producer(component="tests", version="1")
WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _meta(kind: str) -> Meta:
    return Meta(event_id=uuid.uuid4(), event_type=kind, occurred_at=WHEN, producer=WHO)


def _profile(pid: str, skills: list[str], version: int = 1) -> ProfileVersion:
    doc = {"id": pid, "current_role": "Engineer", "skills": [{"name": s, "type": "Hard"} for s in skills]}
    return ProfileVersion(pid, version, str(uuid.uuid4()), Profile.model_validate(doc))


def _posting(pid: str, skills: list[str], version: int = 1) -> PostingVersion:
    posting = DerivedPosting(
        id=pid, title="Backend Engineer", extracted_skills=[ExtractedSkill(name=s) for s in skills]
    )
    return PostingVersion(pid, version, str(uuid.uuid4()), posting)


def _derivation(q: PostingVersion) -> DerivationEvent:
    return DerivationEvent.model_validate(
        {"meta": _meta("derivation.created").model_dump(), "posting_id": q.posting_id, "version": q.version,
         "posting_event_id": str(uuid.uuid4())}
    )  # fmt: skip


def _profile_event(p: ProfileVersion) -> ProfileEvent:
    sample = json.loads((SAMPLES / "profiles.jsonl").read_text().splitlines()[0])
    return ProfileEvent.model_validate(
        {"meta": _meta("profile.created").model_dump(), "profile_id": p.profile_id, "version": p.version,
         "content_hash": "0" * 64, "document": json.dumps(sample)}
    )  # fmt: skip


class World:
    def __init__(self, index: InMemoryCandidateIndex | None = None) -> None:
        self.log = MemoryLog()
        self.sink = InMemoryEventSink(self.log)
        self.store = InMemoryMatchingStore()
        self.barrier = InMemoryBarrier(self.log)
        ports = MatchingPorts(self.store, self.sink, InMemoryEventLog(self.log), self.barrier, index)
        self.matcher = MatchingService(ports, taxonomy=builtin())

    def add_profile(self, p: ProfileVersion) -> None:
        self.store.profiles[p.profile_id] = p

    def add_posting(self, q: PostingVersion) -> None:
        self.store.postings[q.posting_id] = q
        taxonomy = builtin()
        self.store.codes[q.posting_id] = skill_codes((s.name for s in q.posting.extracted_skills), taxonomy)


def _pairs(events: list[MatchEvent]) -> set[tuple[str, str]]:
    return {(e.profile_id, e.posting_id) for e in events}


@pytest.fixture
def world() -> World:
    w = World()
    w.add_profile(_profile("pr-py", ["Python", "PostgreSQL"]))
    w.add_profile(_profile("pr-nurse", ["Patient care"]))
    w.add_posting(_posting("job-py", ["Python"]))
    return w


def test_the_taxonomy_resolves_the_skills_these_tests_use() -> None:
    assert l3_of(skill_codes(["Python"], builtin())), "the fixtures below rely on Python resolving"


def test_a_derivation_finds_the_profiles_sharing_its_skill_codes(world: World) -> None:
    out = world.matcher.handle([_derivation(world.store.postings["job-py"])])
    assert _pairs(out) == {("pr-py", "job-py")}
    assert world.sink.sent == out and world.barrier.waits == 1


def test_a_derivation_finds_the_profiles_holding_one_of_a_requirements_alternatives(world: World) -> None:
    # Kubernetes shares no L3 category with pr-py's skills; its alternative Python does.
    posting = DerivedPosting(
        id="job-k8s", title="Platform Engineer",
        extracted_skills=[ExtractedSkill(name="Kubernetes", alternatives=["Python"])],
    )  # fmt: skip
    world.add_posting(PostingVersion("job-k8s", 1, str(uuid.uuid4()), posting))
    out = world.matcher.handle([_derivation(world.store.postings["job-k8s"])])
    assert _pairs(out) == {("pr-py", "job-k8s")}


def test_a_profile_finds_the_postings_sharing_its_skill_codes(world: World) -> None:
    out = world.matcher.handle([_profile_event(world.store.profiles["pr-py"])])
    assert _pairs(out) == {("pr-py", "job-py")}


def test_one_handler_takes_both_triggers_in_one_batch(world: World) -> None:
    world.add_posting(_posting("job-pg", ["PostgreSQL"]))
    batch = [_derivation(world.store.postings["job-pg"]), _profile_event(world.store.profiles["pr-py"])]
    out = world.matcher.handle(batch)
    # the profile trigger finds both postings; the derivation trigger finds the pair again but
    # the same versions are scored once per trigger
    assert _pairs(out) == {("pr-py", "job-py"), ("pr-py", "job-pg")}
    assert {e.meta.causation_id for e in out} == {str(batch[0].meta.event_id), str(batch[1].meta.event_id)}


def test_a_redelivered_trigger_emits_nothing_the_log_already_holds(world: World) -> None:
    trigger = _derivation(world.store.postings["job-py"])
    first = world.matcher.handle([trigger])
    again = world.matcher.handle([trigger])
    # the same events are computed (deterministic ids), and only the first copy is sent
    assert first and [e.meta.event_id for e in again] == [e.meta.event_id for e in first]
    assert world.sink.sent == first


def test_a_pair_already_scored_for_these_versions_is_skipped(world: World) -> None:
    p, q = world.store.profiles["pr-py"], world.store.postings["job-py"]
    world.store.previous[(p.profile_id, q.posting_id)] = (str(uuid.uuid4()), p.event_id, q.event_id)
    assert world.matcher.handle([_derivation(q)]) == []


def test_a_new_version_supersedes_the_latest_match_of_its_pair(world: World) -> None:
    p, q = world.store.profiles["pr-py"], world.store.postings["job-py"]
    before = str(uuid.uuid4())
    world.store.previous[(p.profile_id, q.posting_id)] = (before, p.event_id, "an older derivation")
    (event,) = world.matcher.handle([_derivation(q)])
    assert event.supersedes == before


def test_a_failed_flush_leaves_nothing_queued_and_the_retry_emits_once(world: World) -> None:
    trigger = _derivation(world.store.postings["job-py"])
    world.sink.fail_flushes = 1
    with pytest.raises(ConnectionError):
        world.matcher.handle([trigger])
    assert world.sink.pending == [] and world.sink.sent == []
    out = world.matcher.handle([trigger])
    assert len(out) == 1 and world.sink.sent == out


def test_the_service_waits_past_what_it_emitted_before_reading_again(world: World) -> None:
    world.matcher.handle([_derivation(world.store.postings["job-py"])])
    assert world.matcher.emitted == {("matches", 0): 0}
    world.matcher.handle([_profile_event(world.store.profiles["pr-nurse"])])
    assert world.barrier.waits == 2


def test_the_index_adds_semantic_candidates_on_both_sides() -> None:
    index = InMemoryCandidateIndex(near_postings={"pr-nurse": ["job-py"]}, near_profiles={"job-py": ["pr-nurse"]},
                                   open_postings=["job-py"])  # fmt: skip
    w = World(index)
    w.add_profile(_profile("pr-nurse", ["Patient care"]))
    w.add_posting(_posting("job-py", ["Python"]))
    assert _pairs(w.matcher.handle([_profile_event(w.store.profiles["pr-nurse"])])) == {
        ("pr-nurse", "job-py")
    }
    assert index.indexed_postings == {"job-py": 1} and index.indexed_profiles == {"pr-nurse": 1}
    w.store.postings["job-py"] = q2 = _posting("job-py", ["Python"], version=2)
    assert _pairs(w.matcher.handle([_derivation(q2)])) == {("pr-nurse", "job-py")}
