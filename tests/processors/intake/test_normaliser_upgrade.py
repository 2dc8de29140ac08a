"""The normaliser's version travels with the content hash; an upgrade shows in the log as changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from processors.intake.changes import (
    CHANGED,
    OBSERVED,
    Known,
    content_dict,
    content_hash,
    decide,
    plan,
    withdraw,
)
from processors.intake.records import RawRecord, Rejected
from processors.intake.text import NORMALISER_VERSION
from processors.intake.validate import validate
from schemas.models import PostingContent, Producer

PRODUCER = Producer(component="intake", version="test")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

RAW_SCRIPTED = "<p>Build the ward rota.</p><script>alert(document.cookie)</script><ul><li>Nights</li><li>Weekends</li></ul>"
RAW_ORDINARY = "<p>Pick, pack &amp; ship.</p><ul><li>Forklift</li><li>Nights</li></ul>"
# What the regex normaliser (text-1) stored for those descriptions, as its events carry them.
TEXT_1 = {
    "scripted": "Build the ward rota.\n<script>alert(document.cookie)</script>\n\n- Nights\n- Weekends",
    "ordinary": "Pick, pack & ship.\n\n- Forklift\n- Nights",
}


def _raw(posting_id: str, description: str) -> dict[str, Any]:
    return {
        "id": posting_id,
        "source": "lever",
        "title": "Nurse",
        "company": "Klinik",
        "description": description,
    }


def _known_under_text_1(posting_id: str) -> Known:
    content = PostingContent(
        source="lever", title="Nurse", company="Klinik", location="", description=TEXT_1[posting_id]
    )
    return Known(1, content_hash(content), "open", f"e-{posting_id}", content_dict(content))


def test_the_version_is_named_and_differs_from_the_regex_one() -> None:
    assert NORMALISER_VERSION == "text-2"


def test_observed_and_changed_events_name_the_normaliser_withdrawals_do_not() -> None:
    _, content, _ = validate(_raw("p1", RAW_ORDINARY))
    assert content is not None
    observed = decide("p1", content, None, PRODUCER, NOW)
    assert observed is not None and observed.normaliser == NORMALISER_VERSION
    known = Known(1, content_hash(content), "open", str(observed.meta.event_id), content_dict(content))
    changed = decide("p1", content.model_copy(update={"title": "Lead Nurse"}), known, PRODUCER, NOW)
    assert changed is not None and changed.normaliser == NORMALISER_VERSION
    # A withdrawal carries no content, so no normaliser produced anything in it.
    assert withdraw("p1", known, "filled", PRODUCER, NOW).normaliser is None


def test_reingest_after_the_upgrade_changes_only_what_now_cleans_differently() -> None:
    known = {pid: _known_under_text_1(pid) for pid in TEXT_1}
    records: list[RawRecord | Rejected] = [
        RawRecord(1, _raw("scripted", RAW_SCRIPTED)),
        RawRecord(2, _raw("ordinary", RAW_ORDINARY)),
    ]
    result = plan(records, known, PRODUCER, NOW, source_file="again.jsonl")
    assert result.summary() == {"new": 0, "changed": 1, "unchanged": 1, "rejected": 0}
    [event] = result.events
    assert (event.posting_id, event.meta.event_type, event.version) == ("scripted", CHANGED, 2)
    assert event.normaliser == NORMALISER_VERSION
    assert event.changed_fields == ["description"]
    assert event.previous_hash == known["scripted"].content_hash != event.content_hash
    assert event.content is not None and "<" not in event.content.description
    assert event.content.description == "Build the ward rota.\n\n- Nights\n- Weekends"
    # Ingesting the same file again is a no-op: the upgrade is recorded once.
    after = {
        **known,
        "scripted": Known(
            2, event.content_hash or "", "open", str(event.meta.event_id), content_dict(event.content)
        ),
    }
    again = plan(records, after, PRODUCER, NOW, source_file="again.jsonl")
    assert again.events == [] and again.unchanged == 2


def test_a_new_posting_is_observed_under_the_current_normaliser() -> None:
    result = plan([RawRecord(1, _raw("fresh", RAW_SCRIPTED))], {}, PRODUCER, NOW)
    [event] = result.events
    assert (event.meta.event_type, event.normaliser) == (OBSERVED, NORMALISER_VERSION)
