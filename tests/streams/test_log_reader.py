"""The Kafka log reader keeps the LogReader port's contract without a broker in sight."""

from __future__ import annotations

from typing import Any

import pytest

from streams import log_reader
from streams.log_reader import KafkaLogReader
from streams.reader import RawRecord


def test_reads_pass_the_coordinates_and_offsets_through(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    record = RawRecord("postings", 1, 7, b"k", b"v", 0)

    def read_at(bootstrap: str, topic: str, partition: int, offset: int) -> RawRecord:
        seen["read_at"] = (bootstrap, topic, partition, offset)
        return record

    def drain(bootstrap: str, starts: Any, targets: Any, client_id: str) -> Any:
        seen["drain"] = (bootstrap, starts, targets, client_id)
        yield [record]

    monkeypatch.setattr(log_reader, "read_at", read_at)
    monkeypatch.setattr(log_reader, "drain", drain)
    log = KafkaLogReader("broker:9092")
    assert log.read_at("postings", 1, 7) is record
    assert list(log.batches({("postings", 1): 7}, {("postings", 1): 9}, client_id="c")) == [[record]]
    assert seen == {
        "read_at": ("broker:9092", "postings", 1, 7),
        "drain": ("broker:9092", {("postings", 1): 7}, {("postings", 1): 9}, "c"),
    }
