"""In-memory implementations of the ports (processors/ports.py): no I/O, for unit tests and
for running a service without a broker or a database.

The sink, the log and the barrier share one `MemoryLog`: a flushed event is in the log at
once (the in-memory projection never lags), so waiting at the barrier returns at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from processors.matching.match import PostingVersion, ProfileVersion
from processors.pipeline.executor import Reusable, ReuseKey
from processors.pipeline.work import PostingState, PriorDerivation
from processors.ports import Offsets, Partition, PreviousMatches
from processors.scoring.similarity import Similarity, lexical_similarity
from processors.taxonomy.model import Taxonomy
from schemas.models import Event


@dataclass
class MemoryLog:
    """The log and its (instant) projection: the events in order, and offsets per partition."""

    events: list[tuple[Partition, int, Event]] = field(default_factory=list)
    next_offset: dict[Partition, int] = field(default_factory=dict)

    def append(self, event: Event) -> tuple[Partition, int]:
        # One partition per topic is enough to keep per-key order here.
        tp = (event.topic, 0)
        offset = self.next_offset.get(tp, 0)
        self.next_offset[tp] = offset + 1
        self.events.append((tp, offset, event))
        return tp, offset

    def ids(self) -> set[str]:
        return {str(e.meta.event_id) for _, _, e in self.events}


class InMemoryEventSink:
    """An EventSink into a MemoryLog; `fail_flushes` makes the next flushes raise (nothing lands)."""

    def __init__(self, log: MemoryLog | None = None):
        self.log = log if log is not None else MemoryLog()
        self.pending: list[Event] = []
        self.fail_flushes = 0

    def send(self, event: Event) -> None:
        self.pending.append(event)

    def flush(self) -> dict[Partition, int]:
        if self.fail_flushes:
            self.fail_flushes -= 1
            raise ConnectionError("the in-memory broker refused the flush")
        targets: dict[Partition, int] = {}
        for event in self.pending:
            tp, offset = self.log.append(event)
            targets[tp] = max(targets.get(tp, -1), offset)
        self.pending = []
        return targets

    def discard(self) -> None:
        self.pending = []

    @property
    def sent(self) -> list[Event]:
        return [e for _, _, e in self.log.events]


class InMemoryEventLog:
    def __init__(self, log: MemoryLog):
        self.log = log

    def logged(self, event_ids: Sequence[str]) -> set[str]:
        held = self.log.ids()
        return {i for i in event_ids if i in held}


class InMemoryBarrier:
    """Nothing to wait for: the in-memory projection is the log. Counts the waits."""

    def __init__(self, log: MemoryLog):
        self.log = log
        self.waits = 0

    def reached(self, produced: Offsets) -> bool:
        return all(self.log.next_offset.get(tp, 0) > offset for tp, offset in produced.items())

    def wait(self, produced: Offsets) -> None:
        self.waits += 1
        if not self.reached(produced):
            raise TimeoutError(f"offsets {dict(produced)} were never produced")


@dataclass
class InMemoryMatchingStore:
    """The matcher's reads over seeded versions. `codes` are each posting's mapped skill codes."""

    profiles: dict[str, ProfileVersion] = field(default_factory=dict)
    postings: dict[str, PostingVersion] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)
    previous: PreviousMatches = field(default_factory=dict)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @contextmanager
    def reading(self) -> Iterator[InMemoryMatchingStore]:
        yield self

    def profile_versions(self, ids: Sequence[str] | None = None) -> list[ProfileVersion]:
        chosen = sorted(self.profiles) if ids is None else sorted(set(ids) & set(self.profiles))
        return [self.profiles[i] for i in chosen]

    def posting_versions(self, ids: Sequence[str], taxonomy: Taxonomy) -> list[PostingVersion]:
        return [self.postings[i] for i in sorted(set(ids) & set(self.postings))]

    def previous_matches(
        self, profile_ids: Sequence[str], posting_ids: Sequence[str] | None = None
    ) -> PreviousMatches:
        return {
            pair: m
            for pair, m in self.previous.items()
            if pair[0] in profile_ids and (posting_ids is None or pair[1] in posting_ids)
        }

    def postings_sharing_codes(self, codes: Sequence[str], k: int) -> list[str]:
        wanted = {c[:8] for c in codes}
        # distinct codes of the posting in a wanted L3 category, as the projection counts them
        shared = {
            pid: len({c for c in cs if c[:8] in wanted})
            for pid, cs in self.codes.items()
            if pid in self.postings
        }
        ranked = sorted((pid for pid, n in shared.items() if n), key=lambda pid: (-shared[pid], pid))
        return ranked[:k]

    def requirement_evidence(self, p: ProfileVersion, q: PostingVersion) -> list[dict[str, Any]]:
        return list(self.evidence.get((p.profile_id, q.posting_id), []))


@dataclass
class InMemoryCandidateIndex:
    """Seeded neighbours instead of embeddings; records what it was asked to index."""

    near_postings: dict[str, list[str]] = field(default_factory=dict)  # profile id -> posting ids
    near_profiles: dict[str, list[str]] = field(default_factory=dict)  # posting id -> profile ids
    indexed_profiles: dict[str, int] = field(default_factory=dict)
    indexed_postings: dict[str, int] = field(default_factory=dict)
    open_postings: list[str] = field(default_factory=list)
    scorer: Similarity = lexical_similarity

    def similarity(self) -> Similarity:
        return self.scorer

    def index_profiles(self, profiles: list[ProfileVersion]) -> int:
        todo = [p for p in profiles if self.indexed_profiles.get(p.profile_id) != p.version]
        self.indexed_profiles.update({p.profile_id: p.version for p in todo})
        return len(todo)

    def unindexed_postings(self) -> list[str]:
        return sorted(set(self.open_postings) - set(self.indexed_postings))

    def index_postings(self, postings: list[PostingVersion]) -> None:
        self.indexed_postings.update({q.posting_id: q.version for q in postings})

    def postings_near(self, profiles: list[ProfileVersion], k: int) -> dict[str, list[str]]:
        self.index_profiles(profiles)
        return {p.profile_id: self.near_postings.get(p.profile_id, [])[:k] for p in profiles}

    def profiles_near(self, postings: list[PostingVersion], k: int) -> dict[str, list[str]]:
        self.index_postings(postings)
        return {q.posting_id: self.near_profiles.get(q.posting_id, [])[:k] for q in postings}


@dataclass
class InMemoryPipelineStore:
    """The pipeline's reads over seeded postings, derivations (by posting and version) and decisions."""

    postings: dict[str, PostingState] = field(default_factory=dict)
    derivations_by_version: dict[tuple[str, int], PriorDerivation] = field(default_factory=dict)
    in_force: dict[str, int] = field(default_factory=dict)  # posting id -> version in force
    decision_steps: dict[str, str] = field(default_factory=dict)  # decision id -> step
    decision_runs: dict[str, str] = field(default_factory=dict)  # decision id -> run id
    reuse: dict[ReuseKey, Reusable] = field(default_factory=dict)

    @contextmanager
    def reading(self) -> Iterator[InMemoryPipelineStore]:
        yield self

    def posting_states(self, ids: Sequence[str]) -> dict[str, PostingState]:
        return {i: self.postings[i] for i in ids if i in self.postings}

    def derivations(self, ids: Sequence[str], version: int | None = None) -> dict[str, PriorDerivation]:
        out = {}
        for pid in ids:
            v = self.in_force.get(pid) if version is None else version
            if v is not None and (pid, v) in self.derivations_by_version:
                out[pid] = self.derivations_by_version[(pid, v)]
        return out

    def max_versions(self, ids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for pid, v in self.derivations_by_version:
            if pid in ids:
                out[pid] = max(out.get(pid, 0), v)
        return out

    def derivation_versions(self, event_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        return {d.event_id: key for key, d in self.derivations_by_version.items() if d.event_id in event_ids}

    def newest_version_below(self, posting_id: str, version: int) -> int | None:
        below = [v for pid, v in self.derivations_by_version if pid == posting_id and v < version]
        return max(below, default=None)

    def decisions_of_runs(self, run_ids: Sequence[str]) -> set[str]:
        return {d for d, run in self.decision_runs.items() if run in run_ids}

    def decisions_by_step(self, decision_ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for d in decision_ids:
            if d in self.decision_steps:
                out.setdefault(self.decision_steps[d], []).append(d)
        return out

    def reusable(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        return {k: self.reuse[k] for k in keys if k in self.reuse}


@dataclass
class InMemoryJuryStore:
    verdicts: set[tuple[str, str]] = field(default_factory=set)  # (match event id, Helen's engine)
    reuse: dict[ReuseKey, Reusable] = field(default_factory=dict)

    @contextmanager
    def reading(self) -> Iterator[InMemoryJuryStore]:
        yield self

    def juried(self, match_event_ids: Sequence[str], helen: str) -> set[str]:
        return {m for m in match_event_ids if (m, helen) in self.verdicts}

    def reusable(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        return {k: self.reuse[k] for k in keys if k in self.reuse}
