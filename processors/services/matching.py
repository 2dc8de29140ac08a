"""The matcher's shell: on new derivation or profile versions, find candidates, score, emit
match events (key: profile id), flush.

One handler serves both triggers: a derivation version looks for profiles, a profile
version for postings; the scoring, the skip of pairs already scored and the emission are
the same."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from processors.matching.match import PostingVersion, ProfileVersion, match_pairs
from processors.ports import (
    CandidateIndex,
    EventLog,
    EventSink,
    MatchingReads,
    MatchingStore,
    Partition,
    PreviousMatches,
    ProducedObserver,
    ProjectionBarrier,
)
from processors.scoring.config import DEFAULT, ScoringConfig
from processors.taxonomy.model import Taxonomy
from schemas.models import DerivationEvent, MatchEvent, ProfileEvent

log = logging.getLogger("turing.matcher")

Trigger = DerivationEvent | ProfileEvent
Pair = tuple[ProfileVersion, PostingVersion]


def skill_codes(names: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """Taxonomy codes of the names that resolve (exactly, by synonym, or fuzzily)."""
    return [hit[0].code for hit in map(taxonomy.resolve, names) if hit is not None]


def l3_of(codes: Iterable[str]) -> set[str]:
    # Same L3 category: the skill itself and its adjacent skills (distance 1).
    return {c[:8] for c in codes}


@dataclass
class Candidates:
    """The pairs each trigger event asks to score, and the latest match of each pair."""

    by_trigger: list[tuple[str, list[Pair]]] = field(default_factory=list)
    previous: PreviousMatches = field(default_factory=dict)


@dataclass(frozen=True)
class MatchingPorts:
    store: MatchingStore
    sink: EventSink
    log: EventLog
    barrier: ProjectionBarrier
    index: CandidateIndex | None = None


class MatchingService:
    def __init__(
        self,
        ports: MatchingPorts,
        config: ScoringConfig = DEFAULT,
        candidates: int = 50,
        observer: ProducedObserver | None = None,
        *,
        taxonomy: Taxonomy,
    ):
        self.ports = ports
        self.taxonomy = taxonomy  # the one the wiring chose: candidates and scores read it
        self.config = config
        self.k = candidates
        self.observer = observer
        self._lock = threading.Lock()
        # highest offset this service produced per partition: what the projection must reach
        self.emitted: dict[Partition, int] = {}

    def _config_for(self, day: date) -> ScoringConfig:
        # Recency is measured at the trigger's date, so the same trigger scores the same way.
        return self.config.model_copy(update={"as_of": day})

    def handle(self, events: Iterable[Trigger]) -> list[MatchEvent]:
        events = list(events)
        if not events:
            return []
        index = self.ports.index
        with self._lock:
            # The projection must hold the triggers, the other side's versions, and whatever an
            # earlier delivery of these triggers emitted (the logged-ids filter reads it).
            self.ports.barrier.wait(self.emitted)
            taxonomy = self.taxonomy
            similarity = index.similarity() if index is not None else None
            config = self._config_for(max(e.meta.occurred_at for e in events).date())
            out: list[MatchEvent] = []
            with self.ports.store.reading() as reads:
                found = Candidates()
                self._for_postings(
                    reads, [e for e in events if isinstance(e, DerivationEvent)], taxonomy, found
                )
                self._for_profiles(reads, [e for e in events if isinstance(e, ProfileEvent)], taxonomy, found)
                for trigger, pairs in found.by_trigger:
                    out += match_pairs(pairs, lambda a, b: found.previous.get((a, b)), trigger, config,
                                       taxonomy, similarity, reads.requirement_evidence)  # fmt: skip
            self._emit(out)
        return out

    def _for_postings(
        self, reads: MatchingReads, events: Sequence[DerivationEvent], taxonomy: Taxonomy, found: Candidates
    ) -> None:
        """Profiles for new derivation versions: shared taxonomy codes, or near in the index."""
        if not events:
            return
        ids = sorted({e.posting_id for e in events})
        postings = reads.posting_versions(ids, taxonomy)
        profiles = reads.profile_versions()
        found.previous.update(reads.previous_matches([p.profile_id for p in profiles], posting_ids=ids))
        codes = {
            p.profile_id: l3_of(skill_codes((s.name for s in p.profile.skills), taxonomy)) for p in profiles
        }
        near: dict[str, list[str]] = {}
        if self.ports.index is not None:
            self.ports.index.index_profiles(profiles)
            near = self.ports.index.profiles_near(postings, self.k)
        trigger = {e.posting_id: str(e.meta.event_id) for e in events}
        for q in postings:
            asked = (n for s in q.posting.extracted_skills for n in (s.name, *s.alternatives))
            wanted = l3_of(skill_codes(asked, taxonomy))
            semantic = set(near.get(q.posting_id, []))
            pairs = [(p, q) for p in profiles if codes[p.profile_id] & wanted or p.profile_id in semantic]
            found.by_trigger.append((trigger[q.posting_id], pairs))

    def _for_profiles(
        self, reads: MatchingReads, events: Sequence[ProfileEvent], taxonomy: Taxonomy, found: Candidates
    ) -> None:
        """Postings for new profile versions: lexical (taxonomy codes) and semantic (kNN) candidates."""
        if not events:
            return
        ids = sorted({e.profile_id for e in events})
        profiles = reads.profile_versions(ids)
        found.previous.update(reads.previous_matches(ids))
        wanted = {
            p.profile_id: reads.postings_sharing_codes(
                skill_codes((s.name for s in p.profile.skills), taxonomy), self.k
            )
            for p in profiles
        }
        index = self.ports.index
        if index is not None:
            # Every open posting indexed first, so kNN does not depend on arrival order.
            index.index_postings(reads.posting_versions(index.unindexed_postings(), taxonomy))
            for pid, near in index.postings_near(profiles, self.k).items():
                wanted[pid] = list(dict.fromkeys([*wanted[pid], *near]))
        all_ids = sorted({pid for ids_ in wanted.values() for pid in ids_})
        postings = {q.posting_id: q for q in reads.posting_versions(all_ids, taxonomy)}
        trigger = {e.profile_id: str(e.meta.event_id) for e in events}
        for p in profiles:
            pairs = [(p, postings[q]) for q in wanted[p.profile_id] if q in postings]
            found.by_trigger.append((trigger[p.profile_id], pairs))

    def _emit(self, events: list[MatchEvent]) -> None:
        # The projection was caught up before scoring, so the audit log holds whatever an
        # earlier delivery of this trigger emitted: that copy stays the only one.
        logged = self.ports.log.logged([str(e.meta.event_id) for e in events])
        fresh = [e for e in events if str(e.meta.event_id) not in logged]
        sink = self.ports.sink
        try:
            for event in fresh:
                sink.send(event)
            targets = sink.flush() if fresh else {}
        except BaseException:
            sink.discard()  # the retry recomputes; no stale copy may follow its check
            raise
        if fresh:
            for tp, offset in targets.items():
                self.emitted[tp] = max(self.emitted.get(tp, -1), offset)
            if self.observer is not None:
                self.observer.record_produced(targets)
            log.info("emitted %d match events", len(fresh))
