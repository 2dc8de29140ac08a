"""The thin shell around the pure pipeline: load state, execute, emit, flush.

The same service runs under faust agents (`streams/faust_app.py`), a plain loop, or a
test calling it directly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from processors.llm.factory import EngineCache
from processors.llm.protocol import Engine
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import command_for_posting
from processors.pipeline.executor import Reusable, ReuseKey, RunResult, execute
from processors.pipeline.work import RunInput
from projections import db, pipeline_queries
from schemas.codec import EventCodec
from schemas.models import CommandEvent, PostingEvent
from streams.producer import Delivery, EventProducer, targets_of

log = logging.getLogger("turing.pipeline")


class PipelineService:
    def __init__(
        self,
        dsn: str,
        schema: str,
        codec: EventCodec,
        producer: EventProducer,
        config: PipelineConfig,
        catch_up: Any = None,
    ):
        self.dsn, self.schema, self.codec, self.producer = dsn, schema, codec, producer
        self.config = config
        self._catch_up = catch_up
        self._engines = EngineCache(config.engine_options)
        self._lock = threading.Lock()
        # highest offset this service produced per partition: what the projection must reach
        self.emitted: dict[tuple[str, int], int] = {}

    # --- orchestration -----------------------------------------------------------------------

    def handle_postings(self, events: Iterable[PostingEvent]) -> int:
        sent = 0
        for event in events:
            command = command_for_posting(event)
            if command is not None:
                self.producer.send(command)
                sent += 1
        if sent:
            self._record(self.producer.flush())
        return sent

    # --- the pipeline ------------------------------------------------------------------------

    def handle_commands(self, commands: list[CommandEvent]) -> list[RunResult]:
        """One batch: every run's events are in the log (flushed) before this returns."""
        if not commands:
            return []
        with self._lock:
            if self._catch_up is not None and not self._projection_ready(commands):
                # The projection must hold the postings and our own earlier derivations.
                self._catch_up()
            inputs = self.load_inputs(commands)
            results = execute(inputs, self.config, self.engine, self.reuse)
            for result in results:
                for event in result.events:
                    self.producer.send(event)
            self._record(self.producer.flush())
        for r in results:
            log.info("run %s for %s: %s%s", r.work.run_id, r.work.posting_id, r.status,
                     f" ({r.work.failed})" if r.work.failed else "")  # fmt: skip
        return results

    def _projection_ready(self, commands: list[CommandEvent]) -> bool:
        """True when every posting is projected and so is everything we emitted: no drain needed.

        A drain ends with an idle poll (a broker quirk forbids trusting end offsets), which
        would cost a second per batch; the projector thread usually got there first."""
        ids = sorted({c.posting_id for c in commands})
        with db.connect(self.dsn) as conn:
            offsets = db.read_offsets(conn, self.schema)
            known = pipeline_queries.posting_states(conn, self.schema, ids)
        if len(known) < len(ids):
            return False
        return all(offsets.get(tp, 0) > offset for tp, offset in self.emitted.items())

    def _record(self, deliveries: list[Delivery]) -> None:
        for tp, offset in targets_of(deliveries).items():
            self.emitted[tp] = max(self.emitted.get(tp, -1), offset)

    def load_inputs(self, commands: list[CommandEvent]) -> list[RunInput]:
        ids = sorted({c.posting_id for c in commands})
        with db.connect(self.dsn) as conn:
            postings = pipeline_queries.posting_states(conn, self.schema, ids)
            priors = pipeline_queries.derivations(conn, self.schema, ids)
            versions = pipeline_queries.max_versions(conn, self.schema, ids)
            prior_ids = [i for p in priors.values() for i in p.decision_ids]
            by_step = pipeline_queries.decisions_by_step(conn, self.schema, prior_ids)
        inputs = []
        for cmd in sorted(commands, key=lambda c: -c.priority):
            # Two commands for one posting in a batch get consecutive versions.
            versions[cmd.posting_id] = versions.get(cmd.posting_id, 0) + 1
            prior = priors.get(cmd.posting_id)
            mine = set(prior.decision_ids) if prior else set()
            inputs.append(
                RunInput(
                    command=cmd,
                    posting=postings.get(cmd.posting_id),
                    prior=prior,
                    next_version=versions[cmd.posting_id],
                    prior_decisions={s: [i for i in ids_ if i in mine] for s, ids_ in by_step.items()},
                )
            )
        return inputs

    def engine(self, spec: str) -> Engine:
        return self._engines(spec)

    def reuse(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        with db.connect(self.dsn) as conn:
            return pipeline_queries.reusable(conn, self.schema, keys)

    def close(self) -> None:
        self._engines.close()
