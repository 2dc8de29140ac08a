"""Content hashing and change detection: which event, if any, a posting record produces."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.intake.changes import (
    CHANGED,
    OBSERVED,
    SEEN_AGAIN,
    WITHDRAWN,
    Known,
    content_dict,
    content_hash,
    decide,
    plan,
    withdraw,
)
from processors.intake.records import FieldError, RawRecord, Rejected
from schemas.models import PostingContent, PostingEvent, Producer

PRODUCER = Producer(component="intake", version="test")
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

CONTENT = PostingContent(
    source="greenhouse",
    title="Engineer",
    company="Acme",
    location="Leeds",
    description="Build things.",
    salary_min=50000.0,
    salary_max=60000.0,
    currency="GBP",
    work_model="Hybrid",
    posted_at=datetime(2026, 10, 1, tzinfo=UTC),
    url="https://jobs.example.com/1",
)


def _known(event: PostingEvent, status: str = "open") -> Known:
    assert event.content is not None and event.content_hash is not None
    return Known(
        version=event.version,
        content_hash=event.content_hash,
        status=status,
        last_event_id=str(event.meta.event_id),
        content=content_dict(event.content),
    )


def _known_from(events: Iterable[PostingEvent]) -> dict[str, Known]:
    return {e.posting_id: _known(e) for e in events}


def _observe(content: PostingContent = CONTENT, posting_id: str = "p1") -> PostingEvent:
    event = decide(posting_id, content, None, PRODUCER, NOW)
    assert event is not None
    return event


def _raw(posting_id: str, **overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": posting_id,
        "source": "lever",
        "title": f"Role {posting_id}",
        "company": "Acme",
        "description": "<p>Do the work.</p>",
        "salary_min": "50k",
        "currency": "eur",
    }
    raw.update(overrides)
    return raw


def _records(*raws: dict[str, Any]) -> list[RawRecord | Rejected]:
    return [RawRecord(i, raw) for i, raw in enumerate(raws, start=1)]


# --- content_hash ------------------------------------------------------------------------------


def test_content_hash_is_stable() -> None:
    copy = PostingContent.model_validate(CONTENT.model_dump())
    assert content_hash(CONTENT) == content_hash(copy)
    assert content_hash(CONTENT) == content_hash(CONTENT)
    assert len(content_hash(CONTENT)) == 64


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("source", "lever"),
        ("title", "Engineer "),
        ("company", "Acme Ltd"),
        ("location", ""),
        ("description", "Build things!"),
        ("salary_min", 50001.0),
        ("salary_max", None),
        ("currency", "EUR"),
        ("work_model", "Remote"),
        ("posted_at", datetime(2026, 10, 1, 0, 0, 1, tzinfo=UTC)),
        ("url", None),
    ],
)
def test_content_hash_is_sensitive_to_each_field(field: str, value: object) -> None:
    assert content_hash(CONTENT.model_copy(update={field: value})) != content_hash(CONTENT)


# --- decide ------------------------------------------------------------------------------------


def test_new_posting_is_observed_at_version_1() -> None:
    event = decide("p1", CONTENT, None, PRODUCER, NOW, source_file="f.jsonl", line=7)
    assert event is not None
    assert event.meta.event_type == OBSERVED
    assert event.version == 1
    assert event.content == CONTENT
    assert event.content_hash == content_hash(CONTENT)
    assert event.previous_hash is None
    assert event.meta.causation_id is None
    assert event.meta.correlation_id == "p1"
    assert event.meta.occurred_at == NOW and event.meta.producer == PRODUCER
    assert event.changed_fields == sorted(content_dict(CONTENT))
    assert (event.source_file, event.source_line, event.key()) == ("f.jsonl", 7, "p1")


def test_same_content_while_open_is_no_event() -> None:
    assert decide("p1", CONTENT, _known(_observe()), PRODUCER, NOW) is None


def test_new_content_is_changed_with_next_version() -> None:
    first = _observe()
    new = CONTENT.model_copy(update={"title": "Senior Engineer", "salary_max": 70000.0})
    event = decide("p1", new, _known(first), PRODUCER, NOW + timedelta(days=1))
    assert event is not None
    assert event.meta.event_type == CHANGED
    assert event.version == 2
    assert event.previous_hash == first.content_hash
    assert event.content_hash == content_hash(new) != first.content_hash
    assert event.changed_fields == ["salary_max", "title"]
    assert event.meta.causation_id == str(first.meta.event_id)
    assert event.meta.event_id != first.meta.event_id


def test_changed_fields_are_exactly_the_differing_fields() -> None:
    base = _known(_observe())
    for field, value in [("url", None), ("posted_at", None), ("description", "New.")]:
        new = CONTENT.model_copy(update={field: value})
        event = decide("p1", new, base, PRODUCER, NOW)
        assert event is not None and event.changed_fields == [field]


def test_withdrawn_then_same_content_is_seen_again_at_same_version() -> None:
    first = _observe()
    gone = withdraw("p1", _known(first), "filled", PRODUCER, NOW)
    known = Known(1, first.content_hash or "", "withdrawn", str(gone.meta.event_id), content_dict(CONTENT))
    event = decide("p1", CONTENT, known, PRODUCER, NOW)
    assert event is not None
    assert event.meta.event_type == SEEN_AGAIN
    assert event.version == 1
    assert event.previous_hash == first.content_hash == event.content_hash
    assert event.changed_fields == []
    assert event.meta.causation_id == str(gone.meta.event_id)


def test_withdrawn_then_new_content_is_seen_again_at_next_version() -> None:
    first = _observe()
    known = Known(1, first.content_hash or "", "withdrawn", "w-1", content_dict(CONTENT))
    event = decide("p1", CONTENT.model_copy(update={"company": "Beta"}), known, PRODUCER, NOW)
    assert event is not None
    assert (event.meta.event_type, event.version, event.changed_fields) == (SEEN_AGAIN, 2, ["company"])


def test_event_ids_are_deterministic() -> None:
    a = decide("p1", CONTENT, None, PRODUCER, NOW)
    b = decide("p1", CONTENT, None, PRODUCER, NOW + timedelta(hours=3), line=99)
    assert a is not None and b is not None
    assert a.meta.event_id == b.meta.event_id
    other = decide("p2", CONTENT, None, PRODUCER, NOW)
    assert other is not None and other.meta.event_id != a.meta.event_id

    new = CONTENT.model_copy(update={"title": "Lead"})
    at_v1 = Known(1, a.content_hash or "", "open", str(a.meta.event_id), content_dict(CONTENT))
    at_v4 = Known(4, a.content_hash or "", "open", str(a.meta.event_id), content_dict(CONTENT))
    c1, c1_again, c5 = (decide("p1", new, k, PRODUCER, NOW) for k in (at_v1, at_v1, at_v4))
    assert c1 is not None and c1_again is not None and c5 is not None
    assert c1.meta.event_id == c1_again.meta.event_id
    assert (c1.version, c5.version) == (2, 5)
    assert c1.meta.event_id != c5.meta.event_id


# --- withdraw ----------------------------------------------------------------------------------


def test_withdraw_open_posting() -> None:
    first = _observe()
    event = withdraw("p1", _known(first), "position filled", PRODUCER, NOW)
    assert event.meta.event_type == WITHDRAWN
    assert event.version == 1 and event.content is None
    assert event.reason == "position filled"
    assert event.content_hash == event.previous_hash == first.content_hash
    assert event.meta.causation_id == str(first.meta.event_id)
    assert event == withdraw("p1", _known(first), "position filled", PRODUCER, NOW)


def test_withdraw_unknown_posting_raises_lookup_error() -> None:
    with pytest.raises(LookupError, match="never observed"):
        withdraw("nope", None, "x", PRODUCER, NOW)


def test_withdraw_twice_raises_value_error() -> None:
    known = Known(1, content_hash(CONTENT), "withdrawn", "e1", content_dict(CONTENT))
    with pytest.raises(ValueError, match="already withdrawn"):
        withdraw("p1", known, "x", PRODUCER, NOW)


# --- plan --------------------------------------------------------------------------------------


def test_plan_counts_new_changed_unchanged_and_rejected() -> None:
    first = plan(_records(_raw("a"), _raw("b"), _raw("c")), {}, PRODUCER, NOW)
    known = _known_from(first.events)
    records = _records(_raw("a"), _raw("b", title="Changed"), _raw("d"), _raw("e", title=None))
    result = plan(records, known, PRODUCER, NOW, source_file="up.jsonl")
    assert result.summary() == {"new": 1, "changed": 1, "unchanged": 1, "rejected": 1}
    assert [(e.posting_id, e.meta.event_type) for e in result.events] == [("b", CHANGED), ("d", OBSERVED)]
    assert all(e.source_file == "up.jsonl" for e in result.events)
    assert [e.source_line for e in result.events] == [2, 3]


def test_rejected_records_keep_their_lines_and_valid_ones_still_produce_events() -> None:
    bad_read = Rejected(2, [FieldError("", "malformed JSON at column 3: x")])
    records: list[RawRecord | Rejected] = [
        RawRecord(1, _raw("a")),
        bad_read,
        RawRecord(3, _raw("b", salary_min="lots")),
        RawRecord(4, _raw("c")),
    ]
    result = plan(records, {}, PRODUCER, NOW)
    assert [e.posting_id for e in result.events] == ["a", "c"]
    assert [e.source_line for e in result.events] == [1, 4]
    assert [r.line for r in result.rejected] == [2, 3]
    assert result.rejected[0] is bad_read
    assert result.rejected[1].record_id == "b"
    assert result.rejected[1].message().startswith("line 3 (id b): salary_min: ")


def test_duplicate_id_with_identical_content_counts_unchanged() -> None:
    result = plan(_records(_raw("a"), _raw("a")), {}, PRODUCER, NOW)
    assert result.summary() == {"new": 1, "changed": 0, "unchanged": 1, "rejected": 0}
    assert len(result.events) == 1


def test_duplicate_id_with_different_content_rejects_the_later_one() -> None:
    records = _records(_raw("x"), _raw("a"), _raw("b"), _raw("a", title="Other"))
    result = plan(records, {}, PRODUCER, NOW)
    assert result.summary() == {"new": 3, "changed": 0, "unchanged": 0, "rejected": 1}
    [event_a] = [e for e in result.events if e.posting_id == "a"]
    assert event_a.source_line == 2 and event_a.content is not None
    assert event_a.content.title == "Role a"
    [dup] = result.rejected
    assert dup.line == 4 and dup.record_id == "a"
    assert dup.errors[0].field == "id" and "line 2" in dup.message()


def test_ingesting_the_same_records_twice_yields_no_events() -> None:
    raws = [_raw(f"p{i}", title=f"  Role&nbsp;{i} ") for i in range(5)]
    records = _records(*raws, raws[0])
    first = plan(records, {}, PRODUCER, NOW)
    assert first.new == 5
    second = plan(records, _known_from(first.events), PRODUCER, NOW + timedelta(days=1))
    assert second.events == []
    assert second.summary() == {"new": 0, "changed": 0, "unchanged": 6, "rejected": 0}


def test_plan_of_nothing_is_empty() -> None:
    assert plan([], {}, PRODUCER, NOW).summary() == {
        "new": 0,
        "changed": 0,
        "unchanged": 0,
        "rejected": 0,
    }


# --- property ----------------------------------------------------------------------------------

_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,15}", fullmatch=True)
_TEXT = st.text(max_size=60)
_AMOUNT = st.one_of(
    st.integers(0, 10_000_000),
    st.integers(0, 9_999).map(lambda n: f"{n}k"),
    st.integers(0, 10_000_000).map(lambda n: f"{n:,}"),
)


@st.composite
def _postings(draw: st.DrawFn, posting_id: str) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": posting_id,
        "source": "S" + draw(_TEXT),
        "title": "T" + draw(_TEXT),
        "company": "C" + draw(_TEXT),
        "location": draw(st.none() | _TEXT),
        "description": "D" + draw(st.text(max_size=300)),
        "work_model": draw(st.sampled_from([None, "remote", "Hybrid", "on-site", "WFH"])),
        "posted_at": draw(st.none() | st.dates().map(str)),
        "url": draw(st.none() | _IDS.map(lambda s: f"https://example.com/{s}")),
    }
    if draw(st.booleans()):
        raw["salary_min"] = draw(_AMOUNT)
        raw["currency"] = draw(st.sampled_from(["eur", " USD", "Gbp"]))
    return raw


_FILES = st.lists(_IDS, min_size=1, max_size=8, unique=True).flatmap(
    lambda ids: st.tuples(*(_postings(i) for i in ids))
)


@settings(max_examples=100, deadline=None)
@given(_FILES)
def test_replanning_the_same_records_produces_no_events(raws: tuple[dict[str, Any], ...]) -> None:
    records = _records(*raws)
    first = plan(records, {}, PRODUCER, NOW)
    assert first.rejected == [], [r.message() for r in first.rejected]
    assert first.new == len(records)
    second = plan(records, _known_from(first.events), PRODUCER, NOW)
    assert second.events == []
    assert second.unchanged == len(records)
    assert second.rejected == []
