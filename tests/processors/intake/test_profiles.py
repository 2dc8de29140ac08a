from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from infra.usecases.ingest_profiles import validate_profile
from processors.intake.profiles import KnownProfile, plan_profiles, read_profile_records
from processors.intake.records import Rejected
from schemas.models import Producer, now_utc

SAMPLES = Path(__file__).resolve().parents[3] / "sample_data" / "profiles.jsonl"
ME = Producer(component="tests", version="1")


def _plan(data: bytes, known=None, name="profiles.jsonl"):  # type: ignore[no-untyped-def]
    return plan_profiles(read_profile_records(name, data), known or {}, validate_profile, ME, now_utc())


def test_the_sample_profiles_are_valid_and_at_least_ten() -> None:
    result = _plan(SAMPLES.read_bytes())
    assert result.rejected == [] and result.new == len(result.events) >= 10
    assert {e.meta.event_type for e in result.events} == {"profile.created"}


def test_json_array_single_object_and_jsonl_all_read() -> None:
    rows = [json.loads(line) for line in SAMPLES.read_text().splitlines()[:3]]
    assert _plan(json.dumps(rows).encode(), name="p.json").new == 3
    assert _plan(json.dumps(rows[0]).encode(), name="p.json").new == 1
    assert _plan(b"\n".join(json.dumps(r).encode() for r in rows)).new == 3


def test_bad_records_name_their_field_and_the_rest_go_on() -> None:
    good = SAMPLES.read_text().splitlines()[0]
    bad_bitmap = json.dumps({"id": "x1", "availability": "0101"})
    bad_skill = json.dumps({"id": "x2", "skills": [{"name": "Python", "proficiency": "Wizard"}]})
    data = "\n".join([bad_bitmap, "{not json", good, bad_skill, "[1]"]).encode()
    result = _plan(data)
    assert result.new == 1
    messages = {r.line: r.message() for r in result.rejected}
    assert "availability" in messages[1] and "336" in messages[1]
    assert "malformed JSON" in messages[2]
    assert "skills.0.proficiency" in messages[4]
    assert "expected a JSON object" in messages[5]


def test_unchanged_profiles_emit_nothing_and_changes_bump_the_version() -> None:
    first = _plan(SAMPLES.read_bytes())
    known = {
        e.profile_id: KnownProfile(e.version, e.content_hash, str(e.meta.event_id)) for e in first.events
    }
    assert _plan(SAMPLES.read_bytes(), known).events == []
    row = json.loads(SAMPLES.read_text().splitlines()[0])
    row["years_experience"] = row["years_experience"] + 1
    again = _plan(json.dumps(row).encode(), known)
    (event,) = again.events
    assert event.meta.event_type == "profile.changed" and event.version == 2
    assert event.meta.causation_id == str(first.events[0].meta.event_id)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = _plan(data)
    assert all(isinstance(r, Rejected) for r in result.rejected)
