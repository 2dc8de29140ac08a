import json
from pathlib import Path

import pytest

from processors.lily.evaluate import LabelledError, evaluate, read_labelled
from processors.lily.model import (
    CertificationLayer,
    ExperienceLayer,
    ProofStack,
    SkillLayer,
    TrackRecordLayer,
)
from processors.taxonomy.model import Skill, Taxonomy


def line(text, **expected):
    return json.dumps({"text": text, "field": "test", "expected": expected})


LINES = read_labelled(
    "\n".join(
        [
            line("a", skill="python", experience={"value": 5, "unit": "years", "op": ">="}),
            line("b", skill="nursing", certification={"name": "RN", "kind": "licence"}),
            line("c", skill=None, track_record={"category": "financial", "value": 1000000, "unit": "USD"}),
            line("d", skill="golang", requirement_strength="preferred", flags=["NEEDS_CONTEXT"]),
            "",
        ]
    )
)

PREDICTIONS = {
    # skill right, experience op wrong (mismatch: one FP and one FN)
    "a": [
        ProofStack(
            skill=SkillLayer(name="Python", confidence=0.9),
            experience=ExperienceLayer(value=5, unit="years", op="==", confidence=0.9),
            parse_confidence=0.9,
        )
    ],
    # skill in the second stack counts; certificate name contained either way
    "b": [
        ProofStack(
            certification=CertificationLayer(name="RN licence", kind="licence", confidence=0.9),
            parse_confidence=0.5,
        ),
        ProofStack(skill=SkillLayer(name="Nursing", confidence=0.8), parse_confidence=0.5),
    ],
    # track record within 1%, plus a skill the label does not have (FP)
    "c": [
        ProofStack(
            skill=SkillLayer(name="Sales", confidence=0.5),
            track_record=TrackRecordLayer(category="financial", value=1_005_000, unit="USD", confidence=0.8),
            parse_confidence=0.6,
        )
    ],
    # skill matched through the taxonomy synonym; strength wrong; flag missed
    "d": [ProofStack(skill=SkillLayer(name="Go", code="01.01.01.001", confidence=0.9), parse_confidence=0.9)],
}
TAX = Taxonomy.from_skills([Skill("01.01.01.001", "Go", ("golang",))])


@pytest.fixture(scope="module")
def report():
    return evaluate(LINES, lambda text: PREDICTIONS[text], TAX)


def test_skill_counts(report):
    s = report.score("skill")
    # TP: a, b, d (synonym); FP: c (label has none)
    assert (s.tp, s.fp, s.fn, s.support) == (3, 1, 0, 3)
    assert s.precision == pytest.approx(0.75) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_skill_without_taxonomy_misses_the_synonym():
    s = evaluate(LINES, lambda text: PREDICTIONS[text]).score("skill")
    assert (s.tp, s.fp, s.fn) == (2, 2, 1)


def test_experience_mismatch_is_fp_and_fn(report):
    s = report.score("experience")
    assert (s.tp, s.fp, s.fn, s.support) == (0, 1, 1, 1)
    assert s.precision == 0.0 and s.recall == 0.0 and s.f1 == 0.0


def test_certification_and_track_record(report):
    assert (report.score("certification").tp, report.score("certification").fp) == (1, 0)
    t = report.score("track_record")
    assert (t.tp, t.fp, t.fn) == (1, 0, 0)


def test_strength_per_class(report):
    req = report.score("strength:required")
    pref = report.score("strength:preferred")
    # all four predicted required; three labelled required
    assert (req.tp, req.fp, req.fn) == (3, 1, 0)
    assert (pref.tp, pref.fp, pref.fn) == (0, 0, 1)


def test_flag_and_misses(report):
    f = report.score("flag:NEEDS_CONTEXT")
    assert (f.tp, f.fp, f.fn) == (0, 0, 1)
    layers = sorted(m.layer for m in report.misses)
    assert layers == ["experience", "flag:NEEDS_CONTEXT", "skill", "strength"]
    exp_miss = next(m for m in report.misses if m.layer == "experience")
    assert '"op": ">="' in exp_miss.expected and '"op": "=="' in exp_miss.got


def test_rows_are_printable(report):
    rows = report.rows()
    assert rows[0]["layer"] == "skill" and set(rows[0]) >= {"precision", "recall", "f1", "support"}
    assert len(rows) == 9 and report.lines == 4


def test_track_record_outside_one_percent_misses():
    lines = read_labelled(line("x", track_record={"category": "scale", "value": 100, "unit": "users"}))
    pred = [
        ProofStack(
            track_record=TrackRecordLayer(category="scale", value=102, confidence=0.8), parse_confidence=0.5
        )
    ]
    assert evaluate(lines, lambda _t: pred).score("track_record").tp == 0


def test_unknown_score_name(report):
    with pytest.raises(KeyError, match="skill"):
        report.score("colour")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "line 1: not JSON"),
        (line("x") + "\n" + json.dumps({"text": "y", "expected": {}}), "line 2: field field: Field required"),
        (
            line("x", experience={"value": 3, "unit": "weeks", "op": ">="}),
            "line 1: field expected.experience.unit",
        ),
        (
            line("x", certification={"name": "A", "kind": "badge"}),
            "line 1: field expected.certification.kind",
        ),
        (line("x", colour="blue"), "line 1: field expected.colour"),
    ],
)
def test_read_labelled_errors_name_line_and_field(text, message):
    with pytest.raises(LabelledError, match=message.replace("(", r"\(")):
        read_labelled(text)


def test_read_labelled_from_path(tmp_path: Path):
    p = tmp_path / "set.jsonl"
    p.write_text(line("RN required", skill="nursing") + "\n", encoding="utf-8")
    assert read_labelled(p)[0].expected.skill == "nursing"


def test_across_taxonomies_a_skill_counts_as_scoring_reads_it():
    rules = Taxonomy.from_skills([Skill("01.01.01.001", "Welding", ())])
    esco = Taxonomy.from_skills([Skill("08.02.06.041", "welding techniques", (), uri="esco:welding")])
    lines = read_labelled(line("Welding experience preferred", skill="welding"))
    linked = SkillLayer.model_validate(
        {"name": "welding techniques", "code": "08.02.06.041", "uri": "esco:welding", "confidence": 0.8,
         "mention": {"text": "Welding", "start": 0, "end": 7}}
    )  # fmt: skip
    both = evaluate(lines, lambda _: [ProofStack(skill=linked, parse_confidence=0.8)], [esco, rules])
    assert both.score("skill").tp == 1
    # the same ESCO skill without words that name the rules taxonomy's Welding is a miss
    far = linked.model_copy(update={"mention": None, "name": "metal joining"})
    assert (
        evaluate(lines, lambda _: [ProofStack(skill=far, parse_confidence=0.8)], [esco, rules])
        .score("skill")
        .tp
        == 0
    )
