"""The matcher's shell: on a new derivation version or profile version, find candidates, score,
emit match events (key: profile id), flush."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial

from processors.embeddings.similarity import EmbeddingSimilarity
from processors.matching.match import match_pairs
from processors.scoring.config import DEFAULT, ScoringConfig
from processors.scoring.similarity import Similarity
from processors.services.pipeline import already_logged
from processors.taxonomy.model import Taxonomy
from projections import db, matching_queries
from projections.match_evidence import requirement_evidence
from projections.stores.candidate_index import EmbeddingIndex
from schemas.models import DerivationEvent, MatchEvent, ProfileEvent
from streams.health import HealthBoard
from streams.producer import EventProducer, targets_of

log = logging.getLogger("turing.matcher")


def skill_codes(names: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """Taxonomy codes of the names that resolve (exactly, by synonym, or fuzzily)."""
    return [hit[0].code for hit in map(taxonomy.resolve, names) if hit is not None]


def l3_of(codes: Iterable[str]) -> set[str]:
    # Same L3 category: the skill itself and its adjacent skills (distance 1).
    return {c[:8] for c in codes}


class MatchingService:
    def __init__(
        self,
        dsn: str,
        schema: str,
        producer: EventProducer,
        catch_up: Callable[[], object] | None = None,
        config: ScoringConfig = DEFAULT,
        candidates: int = 50,
        index: EmbeddingIndex | None = None,
        health: HealthBoard | None = None,
        *,
        taxonomy: Taxonomy,
    ):
        self.dsn, self.schema, self.producer = dsn, schema, producer
        self.taxonomy = taxonomy  # the one the wiring chose: candidates and scores read it
        self._catch_up = catch_up
        self.config = config
        self.k = candidates
        self.index = index
        self.health = health
        self._similarity: Similarity | None = None
        self._lock = threading.Lock()

    def similarity(self) -> Similarity | None:
        """Embedding similarity when an index is configured, else the scorer's lexical default."""
        if self.index is not None and self._similarity is None:
            self._similarity = EmbeddingSimilarity(self.index.embedder())
        return self._similarity

    def _config_for(self, day: date) -> ScoringConfig:
        # Recency is measured at the trigger's date, so the same trigger scores the same way.
        return self.config.model_copy(update={"as_of": day})

    def handle_derivations(self, events: Iterable[DerivationEvent]) -> list[MatchEvent]:
        events = list(events)
        if not events:
            return []
        with self._lock:
            if self._catch_up is not None:
                self._catch_up()
            taxonomy = self.taxonomy
            out: list[MatchEvent] = []
            with db.connect(self.dsn) as conn:
                ids = sorted({e.posting_id for e in events})
                postings = matching_queries.posting_versions(conn, self.schema, ids, taxonomy)
                profiles = matching_queries.profile_versions(conn, self.schema)
                previous = matching_queries.previous_matches(
                    conn, self.schema, [p.profile_id for p in profiles], posting_ids=ids
                )
                codes = {
                    p.profile_id: l3_of(skill_codes((s.name for s in p.profile.skills), taxonomy))
                    for p in profiles
                }
                near: dict[str, list[str]] = {}
                if self.index is not None:
                    self.index.index_profiles(profiles)
                    near = self.index.profiles_near(postings, self.k)
                trigger = {e.posting_id: str(e.meta.event_id) for e in events}
                day = max(e.meta.occurred_at for e in events).date()
                evidence = partial(requirement_evidence, conn, self.schema)
                for q in postings:
                    wanted = l3_of(skill_codes((s.name for s in q.posting.extracted_skills), taxonomy))
                    semantic = set(near.get(q.posting_id, []))
                    pairs = [
                        (p, q) for p in profiles if codes[p.profile_id] & wanted or p.profile_id in semantic
                    ]
                    out += match_pairs(pairs, lambda a, b: previous.get((a, b)), trigger[q.posting_id],
                                       self._config_for(day), taxonomy, self.similarity(), evidence)  # fmt: skip
            self._emit(out)
        return out

    def handle_profiles(self, events: Iterable[ProfileEvent]) -> list[MatchEvent]:
        events = list(events)
        if not events:
            return []
        with self._lock:
            if self._catch_up is not None:
                self._catch_up()
            taxonomy = self.taxonomy
            out: list[MatchEvent] = []
            with db.connect(self.dsn) as conn:
                ids = sorted({e.profile_id for e in events})
                profiles = matching_queries.profile_versions(conn, self.schema, ids)
                previous = matching_queries.previous_matches(conn, self.schema, ids)
                wanted = {
                    p.profile_id: matching_queries.postings_sharing_codes(
                        conn, self.schema, skill_codes((s.name for s in p.profile.skills), taxonomy), self.k
                    )
                    for p in profiles
                }
                if self.index is not None:
                    # Every open posting indexed first, so kNN does not depend on arrival order.
                    missing = self.index.unindexed_postings()
                    self.index.index_postings(
                        matching_queries.posting_versions(conn, self.schema, missing, taxonomy)
                    )
                    # Union of lexical (taxonomy codes) and semantic (pgvector kNN) candidates.
                    for pid, ids_ in self.index.postings_near(profiles, self.k).items():
                        wanted[pid] = list(dict.fromkeys([*wanted[pid], *ids_]))
                all_ids = sorted({pid for ids_ in wanted.values() for pid in ids_})
                postings = {
                    q.posting_id: q
                    for q in matching_queries.posting_versions(conn, self.schema, all_ids, taxonomy)
                }
                trigger = {e.profile_id: str(e.meta.event_id) for e in events}
                day = max(e.meta.occurred_at for e in events).date()
                # One connection serves every pair's evidence lookup.
                evidence = partial(requirement_evidence, conn, self.schema)
                for p in profiles:
                    pairs = [(p, postings[q]) for q in wanted[p.profile_id] if q in postings]
                    out += match_pairs(pairs, lambda a, b: previous.get((a, b)), trigger[p.profile_id],
                                       self._config_for(day), taxonomy, self.similarity(), evidence)  # fmt: skip
            self._emit(out)
        return out

    def _emit(self, events: list[MatchEvent]) -> None:
        # The projection was caught up before scoring, so the audit log holds whatever an
        # earlier delivery of this trigger emitted: that copy stays the only one.
        with db.connect(self.dsn) as conn:
            logged = already_logged(conn, self.schema, [str(e.meta.event_id) for e in events])
        fresh = [e for e in events if str(e.meta.event_id) not in logged]
        try:
            for event in fresh:
                self.producer.send(event)
            deliveries = self.producer.flush() if fresh else []
        except BaseException:
            self.producer.discard()  # the retry recomputes; no stale copy may follow its check
            raise
        if fresh:
            if self.health is not None:
                self.health.record_produced(targets_of(deliveries))
            log.info("emitted %d match events", len(fresh))
