"""event_meta: a new fact gets a random id and the time now; a derived event keeps what it is given."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import Producer, deterministic_id, event_meta

TESTS = Producer(component="tests", version="1")


def test_a_new_fact_gets_a_fresh_id_and_a_millisecond_timestamp() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    first, second = event_meta("feedback.good", TESTS), event_meta("feedback.good", TESTS)
    assert first.event_id != second.event_id
    assert first.occurred_at >= before and first.occurred_at.microsecond % 1000 == 0
    assert (first.event_type, first.producer, first.causation_id, first.correlation_id, first.run_id) == (
        "feedback.good",
        TESTS,
        None,
        None,
        None,
    )


def test_a_derived_event_keeps_its_id_time_and_links() -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    derived = deterministic_id("command", "e1")
    meta = event_meta(
        "command.process", TESTS, event_id=derived, occurred_at=at, causation_id="e1", correlation_id="p1",
        run_id="r1",
    )  # fmt: skip
    assert meta.event_id == derived and meta.occurred_at == at
    assert (meta.causation_id, meta.correlation_id, meta.run_id) == ("e1", "p1", "r1")
