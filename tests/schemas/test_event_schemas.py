"""The .avsc files are the truth: models match them, every event round-trips, history stays compatible."""

from __future__ import annotations

import types
import typing
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from schemas import catalog, compat, payloads, wire
from schemas.models import (
    TOPIC_MODELS,
    AccessEvent,
    CommandEvent,
    DeadLetter,
    DecisionEvent,
    DerivationEvent,
    ErasureEvent,
    Event,
    FeedbackEvent,
    MatchEvent,
    Meta,
    PostingContent,
    PostingEvent,
    Producer,
    ProfileEvent,
    RunEvent,
    StageEvent,
    TokenEvent,
    deterministic_id,
)
from schemas.topics import CATALOGUE

AT = datetime(2026, 11, 2, 9, 30, 15, 123000, tzinfo=UTC)


def meta(kind: str) -> Meta:
    return Meta(
        event_id=deterministic_id("test", kind),
        event_type=kind,
        occurred_at=AT,
        producer=Producer(component="tests", version="1"),
        causation_id=str(uuid.uuid4()),
        correlation_id="corr",
        run_id="run-1",
    )


SAMPLES: dict[str, Event] = {
    "postings": PostingEvent(
        meta=meta("posting.observed"),
        posting_id="p-1",
        version=2,
        content_hash="ab" * 32,
        previous_hash="cd" * 32,
        content=PostingContent(
            source="greenhouse",
            title="Pflegefachkraft (m/w/d) \u2013 Intensivstation",
            company="Klinik Nord",
            location="Hamburg, DE",
            description="- 3+ Jahre Erfahrung\n- Examen als Pflegefachkraft € 😀",
            salary_min=48000.0,
            salary_max=56000.5,
            currency="EUR",
            work_model="Onsite",
            posted_at=AT,
            url="https://jobs.example.com/1",
        ),
        changed_fields=["salary_min", "title"],
        source_line=7,
        source_file="postings.jsonl",
        normaliser="text-2",
    ),
    "profiles": ProfileEvent(
        meta=meta("profile.created"), profile_id="u-1", version=1, content_hash="x", document="{}"
    ),
    "commands": CommandEvent(
        meta=meta("command.process"),
        posting_id="p-1",
        start_step="lily",
        model_overrides={"lily": "openai:qwen3"},
        reason="model upgrade",
        requested_by="ops",
        priority=5,
    ),
    "runs": RunEvent(
        meta=meta("run.failed"),
        run_id="r-1",
        posting_id="p-1",
        status="failed",
        reason="model upgrade",
        trigger="command",
        start_step="lily",
        model_config={"lily": "rules:v1"},
        error="timeout",
    ),
    "decisions": DecisionEvent(
        meta=meta("decision.made"),
        subject_id="p-1",
        step="lily",
        engine="rules",
        model="rules-v1",
        prompt_version="v3",
        prompt_hash="h",
        input_hash="i",
        input_event_ids=["a", "b"],
        output='{"ok": true}',
        status="succeeded",
        latency_ms=12.5,
        tokens_in=10,
        tokens_out=20,
    ),
    "derivations": DerivationEvent(
        meta=meta("derivation.created"),
        posting_id="p-1",
        version=3,
        posting_event_id="e",
        decision_ids=["d1"],
        summary="s",
        ihl_score=0.2,
        red_flag_category="genuine",
        ghost_score=12.0,
        requirement_lines=[
            payloads.RequirementLine(
                index=0,
                text="3+ years of Python or Go",
                decision_id="d1",
                proof_stacks=[
                    payloads.ProofStack(
                        skill=payloads.SkillLayer(
                            confidence=0.9,
                            name="Python",
                            code="01.02.03.004",
                            mention=payloads.Mention(text="Python", start=12, end=18),
                        ),
                        experience=payloads.ExperienceLayer(confidence=0.8, value=3.0, unit="years", op=">="),
                        certification=payloads.CertificationLayer(confidence=0.7, name="RN", kind="licence"),
                        track_record=payloads.TrackRecordLayer(confidence=0.5, category="scale", value=10.0),
                        implied_skills=["Programming"],
                        requirement_strength="preferred",
                        parse_confidence=0.9,
                        flags=["UNCERTAIN"],
                        alternatives=[payloads.SkillLayer(confidence=0.6, name="Go")],
                    )
                ],
            )
        ],
        mapped_skills=[
            payloads.MappedSkill(
                name="Python", code="01.02.03.004", confidence=0.95, source="explicit", path=["IT"]
            )
        ],
        analyst_flags=[payloads.RedFlag(code="missing_salary", severity=0.4, evidence="no pay stated")],
        flag_reviews=[
            payloads.FlagReview(code="missing_salary", upheld=True, reason="none found", severity=0.3)
        ],
        verdict=payloads.RedFlagVerdict(ihl_score=0.2, category="genuine", rationale="fine"),
        summary_grades=[payloads.SummaryGrade(passed=True, score=0.9, task="grade_grounding", round=0)],
        summary_passed=True,
        ghost_signals=["reposted"],
    ),
    "matches": MatchEvent(
        meta=meta("match.scored"),
        profile_id="u-1",
        posting_id="p-1",
        profile_version=1,
        derivation_version=3,
        fit_total=81.5,
        stretch_total=40.0,
        recommendation="apply",
        score=payloads.MatchScore(
            profile_id="u-1",
            posting_id="p-1",
            fit=payloads.FitScore(
                total=81.5,
                label="strong",
                components=payloads.FitComponents(
                    hard_skills=90.0, soft_skills=70.0, experience=80.0, role_match=75.0, logistics=100.0
                ),
                weights={"hard_skills": 0.4},
                exact=81.4999,
                mode="career_change",
            ),
            stretch=payloads.StretchScore(total=40.0, label="some"),
            practical=payloads.PracticalScore(
                total=90.0,
                components=payloads.PracticalComponents(
                    compensation=1.0,
                    availability=1.0,
                    timezone=1.0,
                    location=0.5,
                    language=1.0,
                    work_auth=1.0,
                    benefits=0.8,
                ),
            ),
            non_negotiables=payloads.NonNegotiables(passed=True, warnings=["relocation"]),
            extensions={"hybrid": True},
        ),
        explanation=payloads.Explanation(summary="good fit", strengths=["Python"]),
        suggestions=[payloads.Suggestion(type="add_skill", target="Go", delta=2.5, rationale="asked for")],
        evidence=[payloads.Evidence(requirement_index=0, requirement="Python", atom_id="a-1", score=0.7)],
    ),
    "feedback": FeedbackEvent(
        meta=meta("feedback.given"), profile_id="u-1", posting_id="p-1", match_event_id="m", verdict="wrong"
    ),
    "access": AccessEvent(
        meta=meta("access.read"),
        viewer_id="u-1",
        posting_id="p-1",
        field="salary_max",
        stage="discovery",
        visibility="hidden_used_for_matching",
        strategy="generic_label",
        revealed=False,
        purpose="view",
        role="candidate",
        profile_id="u-1",
    ),
    "tokens": TokenEvent(
        meta=meta("token.issued"),
        token_id="t-1",
        token_sha256="ef" * 32,
        viewer="amara",
        role="candidate",
        profile_id="u-1",
        expires_at=AT,
        issued_by="ops",
    ),
    "stages": StageEvent(
        meta=meta("stage.changed"),
        profile_id="u-1",
        posting_id="p-1",
        from_stage="discovery",
        to_stage="candidate_interested",
        actor="amara",
        actor_role="candidate",
    ),
    "erasures": ErasureEvent(
        meta=meta("profile.erased"),
        profile_id="u-1",
        reason="GDPR art. 17 request",
        requested_by="ops",
        withdrawn_matches=["p-1"],
    ),
    "deadletters": DeadLetter(
        meta=meta("deadletter.recorded"),
        source_topic="postings",
        source_partition=1,
        source_offset=42,
        source_key=b"p-1",
        raw_value=b"\x00\x00\x00\x00\x63garbage",
        error="schema id 99 unknown",
        processor="projector",
    ),
}


def test_every_topic_has_a_schema_a_model_and_a_sample() -> None:
    names = {t.name for t in CATALOGUE}
    assert set(catalog.topics_with_schemas()) == names
    assert set(TOPIC_MODELS) == names
    assert set(SAMPLES) == names


@pytest.mark.parametrize("topic", sorted(SAMPLES))
def test_event_round_trips_through_the_wire_format(topic: str) -> None:
    event = SAMPLES[topic]
    data = wire.frame(17, catalog.parsed(topic), event.to_avro())
    assert data[0] == 0 and wire.schema_id_of(data) == 17
    record = wire.unframe(data, catalog.parsed(topic))
    assert TOPIC_MODELS[topic].model_validate(record) == event


def test_every_schema_carries_the_same_meta_envelope() -> None:
    metas = {t: next(f for f in catalog.schema_json(t)["fields"] if f["name"] == "meta") for t in SAMPLES}
    first = metas["postings"]
    assert all(m == first for m in metas.values())
    assert [f["name"] for f in first["type"]["fields"]] == list(Meta.model_fields)


def _avro_kind(t: Any, named: dict[str, Any] | None = None) -> Any:
    """Reduce an Avro type to a comparable shape: (kind, nullable, inner).

    `named` collects the record and enum definitions met so far, so a later reference by
    name reduces to the same shape as the definition."""
    named = {} if named is None else named
    if isinstance(t, list):
        branches = [b for b in t if b != "null"]
        assert len(branches) == 1, f"only [null, T] unions are used, got {t}"
        return ("nullable", _avro_kind(branches[0], named))
    if isinstance(t, dict):
        if t["type"] == "record":
            shape = ("record", tuple((f["name"], _avro_kind(f["type"], named)) for f in t["fields"]))
            named[t["name"]] = shape
            return shape
        if t["type"] == "enum":
            assert t.get("default") in t["symbols"], f"enum {t['name']} needs a default symbol to grow"
            named[t["name"]] = ("enum", tuple(t["symbols"]))
            return named[t["name"]]
        if t["type"] == "array":
            return ("array", _avro_kind(t["items"], named))
        if t["type"] == "map":
            return ("map", _avro_kind(t["values"], named))
        if t.get("logicalType") == "timestamp-millis":
            return "timestamp"
        if t.get("logicalType") == "uuid":
            return "uuid"
        return _avro_kind(t["type"], named)
    if isinstance(t, str) and t.rsplit(".", 1)[-1] in named:
        return named[t.rsplit(".", 1)[-1]]
    return {"int": "int", "long": "int", "double": "float", "float": "float"}.get(t, t)


def _py_kind(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return ("nullable", _py_kind(inner[0]))
    if origin is typing.Literal:
        return ("enum", args)
    if origin is list:
        return ("array", _py_kind(args[0]))
    if origin is dict:
        return ("map", _py_kind(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (
            "record",
            tuple((_field_name(n, f), _py_kind(f.annotation)) for n, f in annotation.model_fields.items()),
        )
    return {
        str: "string",
        int: "int",
        float: "float",
        bool: "boolean",
        bytes: "bytes",
        datetime: "timestamp",
        uuid.UUID: "uuid",
    }[annotation]


def _field_name(name: str, info: Any) -> str:
    return info.alias or name


@pytest.mark.parametrize("topic", sorted(SAMPLES))
def test_python_model_matches_the_avro_schema(topic: str) -> None:
    assert _py_kind(TOPIC_MODELS[topic]) == _avro_kind(catalog.schema_json(topic))


@pytest.mark.parametrize("topic", sorted(SAMPLES))
def test_schema_is_full_transitive_compatible_with_its_history(topic: str) -> None:
    history = catalog.history(topic)
    assert history, f"schemas/history/{topic}/ must keep v1.avsc"
    current = catalog.schema_json(topic)
    problems = compat.check(current, [s for _, s in history], "FULL_TRANSITIVE")
    assert problems == []
    # The newest kept version is the current one: a change needs a new history file.
    assert history[-1][1] == current


def test_compatibility_check_catches_a_breaking_change() -> None:
    current = catalog.schema_json("postings")
    broken = {**current, "fields": [*current["fields"], {"name": "must_have", "type": "string"}]}
    assert compat.check(broken, [current], "FULL_TRANSITIVE")
