"""derivations and matches v3: events of every earlier version decode with the v3 reader (their
typed fields null, their JSON text intact), and a v3 event still decodes with the older readers."""

from __future__ import annotations

from typing import Any

import fastavro
import pytest

from schemas import catalog, wire
from schemas.models import DerivationEvent, MatchEvent
from tests.schemas.test_event_schemas import SAMPLES

TYPED_DERIVATION = (
    "requirement_lines",
    "mapped_skills",
    "analyst_flags",
    "flag_reviews",
    "verdict",
    "summary_grades",
    "summary_passed",
    "ghost_signals",
)


def _old(topic: str, name: str) -> Any:
    return fastavro.parse_schema(dict(catalog.history(topic))[name])


def _legacy_record(topic: str) -> dict[str, Any]:
    record = SAMPLES[topic].to_avro()
    if topic == "derivations":
        record.update(
            requirements='[{"index": 0, "text": "Python", "proof_stacks": [], "decision_id": null}]',
            skills='[{"name": "Python"}]',
            red_flags='{"flags": [], "summary_passed": true}',
        )
    else:
        record["detail"] = '{"fit": {"total": 81.5}, "recommendation": "apply"}'
    return record


@pytest.mark.parametrize(
    ("topic", "version"), [(t, v) for t in ("derivations", "matches") for v in ("v1", "v2")]
)
def test_an_old_event_decodes_with_the_v3_reader(topic: str, version: str) -> None:
    record = _legacy_record(topic)
    data = wire.frame(3, _old(topic, f"{version}.avsc"), record)
    decoded = wire.unframe(data, _old(topic, f"{version}.avsc"), catalog.parsed(topic))
    event = SAMPLES[topic].model_validate(decoded)
    if isinstance(event, DerivationEvent):
        assert all(getattr(event, f) is None for f in TYPED_DERIVATION)
        assert event.requirements == record["requirements"]
        # v1 had neither skills nor red flags: the reader's defaults fill them.
        assert event.skills == (record["skills"] if version == "v2" else "[]")
        assert event.red_flags == (record["red_flags"] if version == "v2" else "{}")
    else:
        assert isinstance(event, MatchEvent)
        assert event.score is None and event.explanation is None and event.evidence is None
        assert event.suggestions == []
        assert event.detail == record["detail"]


@pytest.mark.parametrize(
    ("topic", "version"), [(t, v) for t in ("derivations", "matches") for v in ("v1", "v2")]
)
def test_a_v3_event_decodes_with_an_older_reader(topic: str, version: str) -> None:
    event = SAMPLES[topic]
    data = wire.frame(3, catalog.parsed(topic), event.to_avro())
    decoded = wire.unframe(data, catalog.parsed(topic), _old(topic, f"{version}.avsc"))
    assert decoded["posting_id"] == "p-1"
    # The deprecated text fields are there for an old reader, holding their defaults.
    if topic == "derivations":
        assert decoded["requirements"] == "[]"
    else:
        assert decoded["detail"] == "{}"


def test_enum_symbols_unknown_to_the_reader_fall_back_to_the_default() -> None:
    """A later version may add an enum symbol: a v3 reader reads it as the enum's default."""
    schema = catalog.schema_json("matches")
    grown = _with_fit_mode(schema, ["standard", "executive", "career_change", "sabbatical"])
    record = SAMPLES["matches"].to_avro()
    record["score"]["fit"]["mode"] = "sabbatical"
    data = wire.frame(3, fastavro.parse_schema(grown), record)
    decoded = wire.unframe(data, fastavro.parse_schema(grown), catalog.parsed("matches"))
    assert decoded["score"]["fit"]["mode"] == "standard"


def _with_fit_mode(schema: Any, symbols: list[str]) -> Any:
    if isinstance(schema, dict):
        if schema.get("type") == "enum" and schema.get("name") == "FitMode":
            return {**schema, "symbols": symbols}
        return {k: _with_fit_mode(v, symbols) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_with_fit_mode(v, symbols) for v in schema]
    return schema
