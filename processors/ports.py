"""The ports the services talk to: what they read, where their events go, and when the
projection may be read. Adapters live a layer up (Kafka in `streams`, PostgreSQL in
`projections.stores`, the barrier's wiring in `infra`); in-memory ones in `memory_ports`.

Also the log as a projection reads it (`LogReader`): the projector, rebuild and trace
verification in `projections` take one, the Kafka one is `streams.log_reader`, and infra wires
them, so projections and streams never import each other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from processors.matching.match import PostingVersion, ProfileVersion
from processors.pipeline.executor import Reusable, ReuseKey
from processors.pipeline.work import PostingState, PriorDerivation
from processors.scoring.similarity import Similarity
from processors.taxonomy.model import Taxonomy
from schemas.models import Event

Partition = tuple[str, int]
Offsets = Mapping[Partition, int]
"""The highest offset produced (or to be reached) per (topic, partition)."""

PreviousMatches = dict[tuple[str, str], tuple[str, str, str]]
"""(profile id, posting id) -> (match event id, profile event id, derivation event id)."""


class EventSink(Protocol):
    """Where a service's events go. Nothing counts as sent before `flush` returns."""

    def send(self, event: Event) -> None: ...

    def flush(self) -> dict[Partition, int]:
        """Wait until every sent event landed (raise if one did not); the highest offset per partition."""
        ...

    def discard(self) -> None:
        """Forget what was sent and not flushed: a failed batch is recomputed, never half-resent."""
        ...


class ProducedObserver(Protocol):
    """Told where a service's events landed (the worker's health board)."""

    def record_produced(self, targets: Offsets) -> None: ...


class EventLog(Protocol):
    """Which events the projection's audit log holds."""

    def logged(self, event_ids: Sequence[str]) -> set[str]: ...


class ProjectionBarrier(Protocol):
    """Read-your-writes: the projection holds what the log held when the service asked."""

    def reached(self, produced: Offsets) -> bool:
        """True when the projection has applied every offset in `produced` (a cheap check, no waiting)."""
        ...

    def wait(self, produced: Offsets) -> None:
        """Return once the projection has applied the whole log as of this call, `produced` included."""
        ...


class MatchingReads(Protocol):
    def profile_versions(self, ids: Sequence[str] | None = None) -> list[ProfileVersion]: ...

    def posting_versions(self, ids: Sequence[str], taxonomy: Taxonomy) -> list[PostingVersion]:
        """The derivation in force of each open posting among `ids`."""
        ...

    def previous_matches(
        self, profile_ids: Sequence[str], posting_ids: Sequence[str] | None = None
    ) -> PreviousMatches: ...

    def postings_sharing_codes(self, codes: Sequence[str], k: int) -> list[str]:
        """Open postings whose mapped skills share an L3 category with `codes`, most shared first."""
        ...

    def requirement_evidence(self, p: ProfileVersion, q: PostingVersion) -> list[dict[str, Any]]: ...


class MatchingStore(Protocol):
    def reading(self) -> AbstractContextManager[MatchingReads]:
        """One consistent reader for a batch (one connection, for a database)."""
        ...


class CandidateIndex(Protocol):
    """The semantic side of candidate search: versions embedded, nearest neighbours found."""

    def similarity(self) -> Similarity: ...

    def index_profiles(self, profiles: list[ProfileVersion]) -> int: ...

    def unindexed_postings(self) -> list[str]: ...

    def index_postings(self, postings: list[PostingVersion]) -> None: ...

    def postings_near(self, profiles: list[ProfileVersion], k: int) -> dict[str, list[str]]: ...

    def profiles_near(self, postings: list[PostingVersion], k: int) -> dict[str, list[str]]: ...


class PipelineReads(Protocol):
    def posting_states(self, ids: Sequence[str]) -> dict[str, PostingState]: ...

    def derivations(self, ids: Sequence[str], version: int | None = None) -> dict[str, PriorDerivation]:
        """The version in force (or the given version) of each posting's derivation."""
        ...

    def max_versions(self, ids: Sequence[str]) -> dict[str, int]: ...

    def derivation_versions(self, event_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """Derivation event id -> (posting id, version), for the ids already projected."""
        ...

    def newest_version_below(self, posting_id: str, version: int) -> int | None: ...

    def decisions_of_runs(self, run_ids: Sequence[str]) -> set[str]: ...

    def decisions_by_step(self, decision_ids: Sequence[str]) -> dict[str, list[str]]: ...


class PipelineStore(Protocol):
    def reading(self) -> AbstractContextManager[PipelineReads]: ...

    def reusable(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        """Earlier successful decisions with the same task, input, engine, model and prompt."""
        ...


class JuryReads(Protocol):
    def juried(self, match_event_ids: Sequence[str], helen: str) -> set[str]:
        """The matches among `match_event_ids` the jury (with this Helen) already decided."""
        ...

    def reusable(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]: ...


class JuryStore(Protocol):
    def reading(self) -> AbstractContextManager[JuryReads]: ...


class LogRecord(Protocol):
    """One record as the log holds it: its coordinates and its undecoded bytes."""

    @property
    def topic(self) -> str: ...

    @property
    def partition(self) -> int: ...

    @property
    def offset(self) -> int: ...

    @property
    def key(self) -> bytes | None: ...

    @property
    def value(self) -> bytes | None: ...


class LogReader(Protocol):
    """The log the projections are folded from and traces are proved against."""

    def partitions(self, topics: Iterable[str]) -> dict[str, list[int]]:
        """Each topic's partition numbers; KeyError for a topic the log does not have."""
        ...

    def batches(
        self, starts: Offsets, targets: Offsets | None = None, *, client_id: str
    ) -> Iterator[Sequence[LogRecord]]:
        """Records in log order per partition from `starts` (the next offset to read), in batches,
        until caught up: every offset in `targets` seen, then nothing new for a moment."""
        ...

    def read_at(self, topic: str, partition: int, offset: int) -> LogRecord:
        """The one record at these coordinates; LookupError when nothing is there, BrokerUnavailable
        when the log cannot be read."""
        ...


class DeadLetterSink(Protocol):
    """Where a projector sends what it cannot apply. Nothing counts as sent before `flush` returns,
    and `flush` raises when a letter did not land."""

    def send(self, event: Event) -> None: ...

    def flush(self) -> object: ...
