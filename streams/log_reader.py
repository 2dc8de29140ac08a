"""The Kafka topics as the log projections read (processors.ports.LogReader)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from processors.ports import Offsets
from streams.admin import partitions_of_all
from streams.reader import RawRecord, drain, read_at


class KafkaLogReader:
    def __init__(self, bootstrap: str):
        self.bootstrap = bootstrap

    def partitions(self, topics: Iterable[str]) -> dict[str, list[int]]:
        return partitions_of_all(self.bootstrap, topics)

    def batches(
        self, starts: Offsets, targets: Offsets | None = None, *, client_id: str
    ) -> Iterator[list[RawRecord]]:
        return drain(
            self.bootstrap, dict(starts), None if targets is None else dict(targets), client_id=client_id
        )

    def read_at(self, topic: str, partition: int, offset: int) -> RawRecord:
        return read_at(self.bootstrap, topic, partition, offset)
