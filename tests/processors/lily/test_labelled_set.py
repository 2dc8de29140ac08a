"""The labelled set is valid and varied, and the rules stay above measured quality floors."""

from collections import Counter
from pathlib import Path

import pytest

from processors.lily.evaluate import evaluate, read_labelled
from processors.lily.rules import decompose
from processors.taxonomy.store import builtin
from tests.processors.lily.sample_taxonomy import sample_taxonomy

SET = Path(__file__).resolve().parents[3] / "sample_data" / "lily_labelled.jsonl"
FIELDS = {
    "software",
    "health",
    "finance",
    "law",
    "trades",
    "hospitality",
    "logistics",
    "public_sector",
    "education",
    "sales",
}


@pytest.fixture(scope="module")
def lines():
    return read_labelled(SET)


def test_size_and_fields(lines):
    assert len(lines) >= 150
    counts = Counter(line.field for line in lines)
    assert set(counts) == FIELDS
    assert min(counts.values()) >= 10
    assert len({line.text for line in lines}) == len(lines), "duplicate texts"


def test_every_layer_and_class_is_present(lines):
    exp = [line.expected for line in lines]
    assert {e.certification.kind for e in exp if e.certification} == {
        "degree",
        "licence",
        "certificate",
        "clearance",
    }
    assert {e.track_record.category for e in exp if e.track_record} == {
        "scale",
        "financial",
        "efficiency",
        "quality",
        "growth",
        "compliance",
    }
    assert {e.experience.op for e in exp if e.experience} == {">=", "<=", "==", "range", "~"}
    assert {e.experience.unit for e in exp if e.experience} == {"years", "months"}
    assert {e.requirement_strength for e in exp} == {"required", "preferred", "nice_to_have"}
    flags = Counter(f for e in exp for f in e.flags)
    assert flags["NEEDS_CONTEXT"] >= 4 and flags["INJECTION_SUSPECTED"] >= 2
    both = [e for e in exp if e.experience and e.track_record]
    assert len(both) >= 2, "E and T together"


# Floors sit a little below what the rules measured on this set with the sample taxonomy
# (see the lead's report); a drop below them is a regression worth a look. The set's last
# lines are the cases only hybrid-1 reads (word numbers, before-and-after outcomes, stakes,
# industries); rules-1 keeps reading them as it always did, hence its lower E and T floors.
_RULES_FLOORS = {
    "skill": (0.95, 0.62),
    "experience": (0.9, 0.78),
    "certification": (0.95, 0.95),
    "track_record": (0.83, 0.8),
    "flag:NEEDS_CONTEXT": (0.8, 0.8),
}
FLOORS = {"rules-1": _RULES_FLOORS, "rules-broad": _RULES_FLOORS}


@pytest.mark.parametrize("ruleset", sorted(FLOORS))
def test_quality_floors_with_the_sample_taxonomy(lines, ruleset):
    tax = sample_taxonomy()
    report = evaluate(lines, lambda text: decompose(text, tax, ruleset=ruleset), tax)
    for name, (precision, recall) in FLOORS[ruleset].items():
        score = report.score(name)
        assert score.precision >= precision, (name, score.row())
        assert score.recall >= recall, (name, score.row())
    strength_right = sum(report.score(f"strength:{s}").tp for s in ("required", "preferred", "nice_to_have"))
    assert strength_right / report.lines >= 0.9


def test_quality_floors_with_the_builtin_taxonomy(lines):
    tax = builtin()
    report = evaluate(lines, lambda text: decompose(text, tax), tax)
    assert report.score("experience").recall >= 0.78  # see _RULES_FLOORS
    assert report.score("certification").recall >= 0.9
    assert report.score("skill").precision >= 0.5


def test_hybrid_1_reads_the_e_c_t_layers_at_least_as_well_as_rules_1(lines):
    from infra.linking_index import default_linker
    from processors.lily import hybrid

    tax, linker = builtin(), default_linker("esco")
    plain = evaluate(lines, lambda text: decompose(text, tax), tax)
    linked = evaluate(lines, lambda text: hybrid.decompose(text, linker, tax), [linker.taxonomy, tax])
    for layer in ("experience", "certification", "track_record", "flag:NEEDS_CONTEXT"):
        assert linked.score(layer).f1 >= plain.score(layer).f1, (layer, linked.score(layer).row())
    assert linked.score("experience").recall >= 0.95 and linked.score("track_record").recall >= 0.95
