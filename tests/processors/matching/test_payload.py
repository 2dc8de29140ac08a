"""A v3 match event states exactly the published score its v2 `detail` text stated; where the
records cannot (a number replaced by a marker), the event keeps the text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from processors.matching.match import PostingVersion, ProfileVersion, match_event
from processors.matching.payload import detail_json, typed_fields
from processors.sensitive.model import default_rules
from processors.sensitive.template import publish
from schemas import catalog, wire
from schemas.models import MatchEvent
from tests.processors.jury.helpers import EVIDENCE
from tests.processors.scoring.helpers import posting, profile, run

CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "borderline": ({"years_experience": 3}, {"extracted_skills": [{"name": "Python"}, {"name": "Go"}]}),
    "salary in the gaps": (
        {"non_negotiables": {"minimum_base_salary": 95000}},
        {"salary_min": 62000, "salary_max": 91000, "currency": "EUR"},
    ),
    "blocked": ({"skills": []}, {}),
}


def _scored(case: str, evidence: list[dict[str, Any]] | None) -> tuple[MatchEvent, dict[str, Any]]:
    p, q = profile(**CASES[case][0]), posting(**CASES[case][1])
    result = run(p, q)
    event = match_event(
        ProfileVersion("u-1", 1, "profile-event-1", p), PostingVersion("q", 1, "derivation-event-1", q),
        result, None, "trigger", evidence,
    )  # fmt: skip
    tree = result.model_dump(mode="json")
    if evidence is not None:
        tree["evidence"] = evidence
    return event, publish(tree, q.model_dump(mode="json"), default_rules("q"))


def _text(tree: Any) -> str:
    return json.dumps(tree, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("evidence", [None, [EVIDENCE]])
def test_a_v3_match_and_its_v2_twin_read_back_to_the_same_json(
    case: str, evidence: list[dict[str, Any]] | None
) -> None:
    event, published = _scored(case, evidence)
    assert event.score is not None and event.explanation is not None and event.detail == "{}"
    v2 = event.model_copy(
        update={
            "score": None,
            "explanation": None,
            "suggestions": [],
            "evidence": None,
            "detail": _text(published),
        }
    )
    assert _text(detail_json(event)) == _text(detail_json(v2)) == _text(published)


def test_markers_stay_in_the_typed_text() -> None:
    event, _ = _scored("salary in the gaps", None)
    stated = event.model_dump_json()
    assert "⟦salary_max⟧" in stated and "91000" not in stated and "91,000" not in stated


def test_a_number_turned_marker_keeps_the_tree_as_text() -> None:
    _, published = _scored("borderline", None)
    published["fit"]["total"] = "⟦salary_min⟧"
    fields = typed_fields(published, published["ghost_score"], published["recommendation"])
    assert set(fields) == {"detail"} and json.loads(fields["detail"]) == published


def test_a_v3_match_survives_the_wire_and_an_older_reader_sees_its_envelope() -> None:
    event, published = _scored("borderline", [EVIDENCE])
    data = wire.frame(1, catalog.parsed("matches"), event.to_avro())
    back = MatchEvent.model_validate(wire.unframe(data, catalog.parsed("matches")))
    assert back == event and _text(detail_json(back)) == _text(published)
    v2 = wire.unframe(data, catalog.parsed("matches"), _v2())
    assert v2["fit_total"] == event.fit_total and v2["detail"] == "{}"


def _v2() -> Any:
    import fastavro

    return fastavro.parse_schema(dict(catalog.history("matches"))["v2.avsc"])
