"""The jury's shell: on new match events, convene Oscar, Rita and Helen for the borderline ones
and emit their decisions (key: profile id), after the earlier deliveries are projected."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from processors.jury.config import JuryConfig
from processors.jury.convene import convene, jury_of
from processors.llm.factory import EngineCache
from processors.services.pipeline import already_logged
from projections import db, pipeline_queries, quality_reads
from schemas.models import DecisionEvent, MatchEvent
from streams.health import HealthBoard
from streams.producer import EventProducer, targets_of

log = logging.getLogger("turing.jury")


class JuryService:
    def __init__(
        self,
        dsn: str,
        schema: str,
        producer: EventProducer,
        catch_up: Callable[[], object] | None = None,
        config: JuryConfig | None = None,
        health: HealthBoard | None = None,
        engine_options: Mapping[str, dict[str, Any]] | None = None,
    ):
        self.dsn, self.schema, self.producer = dsn, schema, producer
        self._catch_up = catch_up
        self.config = config or JuryConfig()
        self.health = health
        self.engines = EngineCache(engine_options)  # the pipeline's options per engine (base_url, ...)
        self._lock = threading.Lock()

    def handle_matches(self, events: Iterable[MatchEvent]) -> list[DecisionEvent]:
        borderline = jury_of(list(events), self.config)
        if not borderline:
            return []
        with self._lock:
            if self._catch_up is not None:
                self._catch_up()  # the reuse lookup and the logged-ids filter read the projection
            with db.connect(self.dsn) as conn:
                # A redelivered batch: matches the jury already decided never reach an engine again.
                done = quality_reads.juried(conn, self.schema, [str(m.meta.event_id) for m in borderline],
                                            self.config.helen)  # fmt: skip
                borderline = [m for m in borderline if str(m.meta.event_id) not in done]
                if not borderline:
                    return []
                decisions = convene(borderline, self.engines, self.config,
                                    partial(pipeline_queries.reusable, conn, self.schema))  # fmt: skip
                logged = already_logged(conn, self.schema, [str(d.meta.event_id) for d in decisions])
            fresh = [d for d in decisions if str(d.meta.event_id) not in logged]
            for d in fresh:
                self.producer.send(d)
            if fresh:
                deliveries = self.producer.flush()
                if self.health is not None:
                    self.health.record_produced(targets_of(deliveries))
                log.info("jury: %d decisions for %d borderline matches", len(fresh), len(borderline))
        return fresh

    def close(self) -> None:
        self.engines.close()
