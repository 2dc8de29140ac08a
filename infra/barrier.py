"""The services' ProjectionBarrier: wait until the projector has applied the log as of now.

Whoever runs the projector (the worker's own thread under `turing up`, the projector
process in production) commits its offsets with its rows; the barrier reads how far the
log goes (an idle poll past the offsets we know, since end offsets are wrong on this
broker build: `streams.quirks`) and waits until those offsets are committed. It never
applies anything itself, so one projector writes the projection.
"""

from __future__ import annotations

import time

from processors.ports import Offsets, Partition
from projections.stores.event_log import PostgresEventLog
from projections.write.projector import ALL_TOPICS
from streams.admin import partitions_of_all
from streams.reader import log_end

# Past this, the projector is down or stuck: the batch fails and its loop retries it later.
WAIT_LIMIT_S = 120.0


class ProjectionLagging(TimeoutError):
    pass


def applied_past(applied: Offsets, goal: Offsets) -> bool:
    return all(applied.get(tp, 0) > offset for tp, offset in goal.items())


class ProjectorBarrier:
    def __init__(
        self,
        bootstrap: str,
        log: PostgresEventLog,
        topics: tuple[str, ...] = ALL_TOPICS,
        limit_s: float = WAIT_LIMIT_S,
        poll_s: float = 0.1,
    ):
        self.bootstrap, self.log, self.topics = bootstrap, log, topics
        self.limit_s, self.poll_s = limit_s, poll_s

    def reached(self, produced: Offsets) -> bool:
        return applied_past(self.log.applied_offsets(), produced)

    def wait(self, produced: Offsets) -> None:
        applied = self.log.applied_offsets()
        starts = {
            (name, p): applied.get((name, p), 0)
            for name, partitions in partitions_of_all(self.bootstrap, self.topics).items()
            for p in partitions
        }
        goal: dict[Partition, int] = dict(produced)
        for tp, offset in log_end(self.bootstrap, starts, produced).items():
            goal[tp] = max(goal.get(tp, -1), offset)
        deadline = time.monotonic() + self.limit_s
        while not applied_past(applied, goal):
            if time.monotonic() > deadline:
                behind = {tp: off for tp, off in goal.items() if applied.get(tp, 0) <= off}
                raise ProjectionLagging(f"the projector has not applied {behind} within {self.limit_s:.0f}s")
            time.sleep(self.poll_s)
            applied = self.log.applied_offsets()
