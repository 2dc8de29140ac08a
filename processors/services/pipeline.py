"""The thin shell around the pure pipeline: load state, execute, emit, flush.

The same service runs under the worker's consumer loops (`streams/consumer_loop.py`), or a
test calling it directly.

Re-delivery is normal (a crash between the flush and the commit redelivers the batch), so
a run's events must come out the same the second time (DESIGN §5):
- the state a run reads is the state *as of its command*: a command whose derivation is
  already projected keeps that derivation's version and reads the derivation in force
  before it, and a decision of the batch's own runs is never offered for reuse;
- an event whose id is already in the log is not emitted again. After a start-up or a
  failed attempt the service first waits at the projection barrier, so the audit log holds
  everything an earlier attempt managed to produce; its recorded bytes (times included)
  stay the only copy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from processors.llm.engine_source import EngineSource
from processors.llm.protocol import Engine
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import command_for_posting, derivation_id_for, run_id_for
from processors.pipeline.executor import Reusable, ReuseKey, ReuseLookup, RunResult, execute
from processors.pipeline.work import PriorDerivation, RunInput
from processors.ports import (
    EventLog,
    EventSink,
    Partition,
    PipelineReads,
    PipelineStore,
    ProducedObserver,
    ProjectionBarrier,
)
from schemas.models import CommandEvent, Event, PostingEvent

log = logging.getLogger("turing.pipeline")


class Orchestrator:
    """postings → commands. A command's id and bytes derive from its posting event alone."""

    def __init__(self, sink: EventSink, observer: ProducedObserver | None = None):
        self.sink, self.observer = sink, observer

    def handle_postings(self, events: Iterable[PostingEvent]) -> int:
        sent = 0
        for event in events:
            command = command_for_posting(event)
            if command is not None:
                self.sink.send(command)
                sent += 1
        if sent:
            targets = self.sink.flush()
            if self.observer is not None:
                self.observer.record_produced(targets)
        return sent


@dataclass(frozen=True)
class PipelinePorts:
    store: PipelineStore
    sink: EventSink
    log: EventLog
    barrier: ProjectionBarrier


class PipelineService:
    def __init__(
        self,
        ports: PipelinePorts,
        config: PipelineConfig,
        observer: ProducedObserver | None = None,
        *,
        engines: EngineSource,
    ):
        self.ports = ports
        self.config = config
        self.observer = observer
        # The wiring layer builds the engines (options, task registry, hybrid-1's linker).
        self._engines = engines
        self._lock = threading.Lock()
        # highest offset this service produced per partition: what the projection must reach
        self.emitted: dict[Partition, int] = {}
        # Until a batch succeeds, an earlier attempt (or process) may have produced part of it.
        self._suspect = True
        self.skipped = 0  # events not re-emitted because the log already held them

    def handle_postings(self, events: Iterable[PostingEvent]) -> int:
        return Orchestrator(self.ports.sink, self.observer).handle_postings(events)

    # --- the pipeline ------------------------------------------------------------------------

    def handle_commands(self, commands: list[CommandEvent]) -> list[RunResult]:
        """One batch: every run's events are in the log (flushed) before this returns."""
        if not commands:
            return []
        with self._lock:
            try:
                if self._suspect or not self._projection_ready(commands):
                    # The projection must hold the postings, our own earlier derivations, and
                    # whatever an interrupted attempt at this batch already produced.
                    self.ports.barrier.wait(self.emitted)
                results = self.compute(commands)
                self._emit([e for r in results for e in r.events])
                self._suspect = False
            except BaseException:
                self._suspect = True
                self.ports.sink.discard()
                raise
        for r in results:
            log.info("run %s for %s: %s%s", r.work.run_id, r.work.posting_id, r.status,
                     f" ({r.work.failed})" if r.work.failed else "")  # fmt: skip
        return results

    def compute(self, commands: list[CommandEvent]) -> list[RunResult]:
        """The runs' events, computed from the state as of each command; nothing is emitted."""
        inputs, mine = self._load(commands)
        # The executor runs the tasks the engines were built with (the configured taxonomy's).
        return execute(
            inputs, self.config, self._engines, self._reuse_except(mine), tasks=self._engines.tasks
        )

    def _emit(self, events: list[Event]) -> None:
        logged = self.ports.log.logged([str(e.meta.event_id) for e in events])
        for event in events:
            if str(event.meta.event_id) in logged:
                self.skipped += 1
                continue
            self.ports.sink.send(event)
        self._record(self.ports.sink.flush())

    def _projection_ready(self, commands: list[CommandEvent]) -> bool:
        """True when every posting is projected and so is everything we emitted: no wait needed.

        Waiting ends with an idle poll (a broker quirk forbids trusting end offsets), which
        would cost a second per batch; the projector usually got there first."""
        ids = sorted({c.posting_id for c in commands})
        with self.ports.store.reading() as reads:
            known = reads.posting_states(ids)
        return len(known) == len(ids) and self.ports.barrier.reached(self.emitted)

    def _record(self, targets: dict[Partition, int]) -> None:
        for tp, offset in targets.items():
            self.emitted[tp] = max(self.emitted.get(tp, -1), offset)
        if self.observer is not None:
            self.observer.record_produced(targets)

    def load_inputs(self, commands: list[CommandEvent]) -> list[RunInput]:
        return self._load(commands)[0]

    def _load(self, commands: list[CommandEvent]) -> tuple[list[RunInput], set[str]]:
        """Each command's input as of the command; also the ids of decisions the batch's runs emitted."""
        ids = sorted({c.posting_id for c in commands})
        with self.ports.store.reading() as reads:
            postings = reads.posting_states(ids)
            in_force = reads.derivations(ids)
            versions = reads.max_versions(ids)
            own = reads.derivation_versions([str(derivation_id_for(c)) for c in commands])
            before = {key: _prior_before(reads, *pv) for key, pv in own.items()}
            mine = reads.decisions_of_runs([run_id_for(c) for c in commands])
            priors = [*in_force.values(), *(p for p in before.values() if p is not None)]
            by_step = reads.decisions_by_step(sorted({i for p in priors for i in p.decision_ids}))
        inputs = []
        # Versions follow the log order of the commands, whatever order the batch runs in.
        for cmd in commands:
            key = str(derivation_id_for(cmd))
            if key in own:
                version, prior = own[key][1], before[key]
            else:
                versions[cmd.posting_id] = versions.get(cmd.posting_id, 0) + 1
                version, prior = versions[cmd.posting_id], in_force.get(cmd.posting_id)
            theirs = set(prior.decision_ids) if prior else set()
            inputs.append(
                RunInput(
                    command=cmd,
                    posting=postings.get(cmd.posting_id),
                    prior=prior,
                    next_version=version,
                    prior_decisions={st: [i for i in ids_ if i in theirs] for st, ids_ in by_step.items()},
                )
            )
        return sorted(inputs, key=lambda i: -i.command.priority), mine

    def engine(self, spec: str) -> Engine:
        return self._engines(spec)

    def reuse(self, keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        return self.ports.store.reusable(keys)

    def _reuse_except(self, mine: set[str]) -> ReuseLookup:
        # A redelivered run must not "reuse" the decisions its own first attempt emitted.
        def lookup(keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
            return {k: r for k, r in self.reuse(keys).items() if r.decision_id not in mine}

        return lookup

    def close(self) -> None:
        self._engines.close()


def _prior_before(reads: PipelineReads, posting_id: str, version: int) -> PriorDerivation | None:
    """The derivation a run that produced `version` read: the newest one below it."""
    below = reads.newest_version_below(posting_id, version)
    if below is None:
        return None
    return reads.derivations([posting_id], below).get(posting_id)
