"""The value checks every producer applies before emitting (issue 14, item 4)."""

from __future__ import annotations

import json
import uuid

from schemas import payloads
from schemas.limits import event_problems, storable_text, value_problems
from schemas.models import DerivationEvent, Meta, Producer, RunEvent, now_utc


def _meta(event_type: str) -> Meta:
    return Meta(
        event_id=uuid.uuid4(),
        event_type=event_type,
        occurred_at=now_utc(),
        producer=Producer(component="t", version="1"),
    )


def _run(**changes: object) -> RunEvent:
    fields = {
        "meta": _meta("run.started"), "run_id": "r", "posting_id": "p", "status": "started", "reason": "t",
        "trigger": "reprocess", "start_step": "lily", **changes,
    }  # fmt: skip
    return RunEvent.model_validate(fields)


def test_a_clean_event_has_no_problems() -> None:
    assert event_problems(_run(priority=2**31 - 1)) == []


def test_an_avro_int_past_32_bits_and_nul_in_a_field_are_named() -> None:
    problems = dict(event_problems(_run(priority=99_999_999_999_999, reason="a\x00b")))
    assert "priority" in problems["(avro)"] and "NUL" in problems["reason"]


def test_json_held_as_text_is_checked_inside() -> None:
    derivation = DerivationEvent(
        meta=_meta("derivation.created"), posting_id="p", version=1, posting_event_id="e",
        requirements=json.dumps([{"index": 0, "text": "x", "value": float("nan")}]),
        skills=json.dumps([{"name": "a\x00"}]),
    )  # fmt: skip
    problems = dict(event_problems(derivation))
    assert "nan" in problems["requirements.0.value"] and "NUL" in problems["skills.0.name"]


def test_typed_payloads_are_checked_inside() -> None:
    line = payloads.RequirementLine(
        index=0, text="x", proof_stacks=[payloads.ProofStack(parse_confidence=float("nan"), flags=["a\x00"])]
    )
    derivation = DerivationEvent(
        meta=_meta("derivation.created"),
        posting_id="p",
        version=1,
        posting_event_id="e",
        requirement_lines=[line],
    )
    problems = dict(event_problems(derivation))
    assert "nan" in problems["requirement_lines.0.proof_stacks.0.parse_confidence"]
    assert "NUL" in problems["requirement_lines.0.proof_stacks.0.flags.0"]


def test_values_are_walked_with_paths_and_bounds() -> None:
    value = {"a": [1, float("inf"), "\ud800"], "url": "x" * 3000, "n": 2**70, "ok": "fine"}
    problems = dict(value_problems(value, limits={"url": 2048}))
    assert set(problems) == {"a.1", "a.2", "url", "n"}
    assert "lone surrogate" in problems["a.2"] and "2,048" in problems["url"] and "outside" in problems["n"]
    assert dict(value_problems({"skills": list(range(501))}, limits={"skills": 500})) == {
        "skills": "has 501 items; the limit is 500"
    }


def test_storable_text_escapes_what_text_cannot_hold() -> None:
    text = storable_text("engine said \x00 and \ud800")
    assert text == "engine said \\u0000 and \\ud800"
    assert value_problems(text) == []
    assert len(storable_text("x" * 5000)) == 2000
