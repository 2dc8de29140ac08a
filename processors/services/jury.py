"""The jury's shell: on new match events, convene Oscar, Rita and Helen for the borderline ones
and emit their decisions (key: profile id), after the earlier deliveries are projected."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from processors.jury.config import JuryConfig
from processors.jury.convene import convene, jury_of
from processors.llm.engine_source import EngineSource
from processors.ports import EventLog, EventSink, JuryStore, Partition, ProducedObserver, ProjectionBarrier
from schemas.models import DecisionEvent, MatchEvent

log = logging.getLogger("turing.jury")


@dataclass(frozen=True)
class JuryPorts:
    store: JuryStore
    sink: EventSink
    log: EventLog
    barrier: ProjectionBarrier


class JuryService:
    def __init__(
        self,
        ports: JuryPorts,
        config: JuryConfig | None = None,
        observer: ProducedObserver | None = None,
        *,
        engines: EngineSource,
    ):
        self.ports = ports
        self.config = config or JuryConfig()
        self.observer = observer
        self.engines = engines  # built by the wiring with the pipeline's options per engine (base_url, ...)
        self._lock = threading.Lock()
        self.emitted: dict[Partition, int] = {}

    def handle_matches(self, events: Iterable[MatchEvent]) -> list[DecisionEvent]:
        borderline = jury_of(list(events), self.config)
        if not borderline:
            return []
        with self._lock:
            self.ports.barrier.wait(
                self.emitted
            )  # the reuse lookup and the logged-ids filter read the projection
            with self.ports.store.reading() as reads:
                # A redelivered batch: matches the jury already decided never reach an engine again.
                done = reads.juried([str(m.meta.event_id) for m in borderline], self.config.helen)
                borderline = [m for m in borderline if str(m.meta.event_id) not in done]
                if not borderline:
                    return []
                decisions = convene(borderline, self.engines, self.config, reads.reusable)
            logged = self.ports.log.logged([str(d.meta.event_id) for d in decisions])
            fresh = [d for d in decisions if str(d.meta.event_id) not in logged]
            for d in fresh:
                self.ports.sink.send(d)
            if fresh:
                targets = self.ports.sink.flush()
                for tp, offset in targets.items():
                    self.emitted[tp] = max(self.emitted.get(tp, -1), offset)
                if self.observer is not None:
                    self.observer.record_produced(targets)
                log.info("jury: %d decisions for %d borderline matches", len(fresh), len(borderline))
        return fresh

    def close(self) -> None:
        self.engines.close()
