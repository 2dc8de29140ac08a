from __future__ import annotations

import pytest

from processors.quality.qa_events import finding_event, remediation, review_event
from processors.quality.sampling import Item, jaccard, sample, short_id, similar_pairs

BASE = "the team builds data pipelines for payments in python and sql every day"


def items() -> list[Item]:
    out = [
        Item(f"d{i}", f"q{i}", f"q{i}", "extract_summary", f"{BASE} variant {i} " + "word " * i, 100.0 + i)
        for i in range(10)
    ]
    out.append(Item("long", "qL", "qL", "extract_summary", "loop " * 400, 120.0))
    out.append(Item("short", "qS", "qS", "extract_summary", "Short.", 110.0))
    out.append(Item("slow", "qW", "qW", "extract_summary", "a slow answer about rust and go", 9000.0))
    out.append(Item("fast", "qF", "qF", "extract_summary", "a cached answer about java", 0.5))
    copy = "senior accountant in manila closing monthly books and reconciling ledgers for clients"
    out.append(Item("twin-a", "qA", "qA", "extract_summary", copy, 105.0))
    out.append(Item("twin-b", "qB", "qB", "extract_summary", copy + ".", 106.0))
    return out


def by_dim(findings: list) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for f in findings:
        out.setdefault(f.dimension, []).append(f)
    return out


def test_each_dimension_finds_its_known_extreme() -> None:
    got = by_dim(sample("summary", items(), 1, seed=7))
    assert set(got) == {"longest", "shortest", "slowest", "fastest", "most_similar", "random"}
    assert got["longest"][0].ref_id == "long" and got["longest"][0].severity == "medium"
    assert got["shortest"][0].ref_id == "short" and got["shortest"][0].severity == "medium"
    assert got["slowest"][0].ref_id == "slow" and got["slowest"][0].severity == "medium"
    assert got["fastest"][0].ref_id == "fast" and got["fastest"][0].severity == "low"
    pair = got["most_similar"][0]
    assert {pair.ref_id, pair.other_ref_id} == {"twin-a", "twin-b"}
    assert pair.similarity == 1.0 and pair.severity == "high"
    assert got["random"][0].severity == "info"


def test_sampling_is_stable_and_ids_are_per_dimension_and_item() -> None:
    first, again = (
        sample("summary", items(), 2, seed=3),
        sample("summary", list(reversed(items())), 2, seed=3),
    )
    assert [f.finding_id for f in first] == [f.finding_id for f in again]
    assert len({f.finding_id for f in first}) == len(first)
    assert len(short_id(first[0].finding_id)) == 8


def test_untimed_outputs_skip_latency_dimensions_and_bad_arguments() -> None:
    untimed = [Item(i.ref_id, i.subject_id, i.posting_id, "match", i.text, None) for i in items()]
    assert not {"slowest", "fastest"} & set(by_dim(sample("match", untimed, 1)))
    assert sample("summary", [], 3) == []
    with pytest.raises(ValueError, match="target"):
        sample("nope", items(), 1)
    with pytest.raises(ValueError, match="at least 1"):
        sample("summary", items(), 0)


def test_similarity_basics() -> None:
    assert jaccard(set(), set()) == 0.0
    pairs = similar_pairs(items(), 3)
    assert pairs[0][2] >= pairs[-1][2]


def test_finding_review_and_remediation_events() -> None:
    f = next(x for x in sample("summary", items(), 1) if x.dimension == "shortest")
    event = finding_event(f)
    assert str(event.meta.event_id) == f.finding_id and event.input_event_ids == ["short"]
    assert event.step == "qa" and event.task == "qa.sample" and "medium" in event.flags
    review = review_event(f, f.finding_id, "issue", "truncated", "ana")
    assert review.meta.causation_id == f.finding_id
    with pytest.raises(ValueError):
        review_event(f, f.finding_id, "maybe", "x", "ana")
    command, record = remediation(f, f.finding_id, "ana")
    assert command.start_step == "extract_summary" and command.posting_id == "qS"
    assert (
        command.reason == f"QA finding #{short_id(f.finding_id)}"
        and command.meta.causation_id == f.finding_id
    )
    assert record.task == "qa.remediate"
    match_finding = f.model_copy(update={"target": "match"})
    with pytest.raises(ValueError, match="no pipeline step"):
        remediation(match_finding, f.finding_id, "ana")


def test_two_versions_of_one_posting_are_not_a_similar_pair() -> None:
    text = "senior accountant in manila closing monthly books and reconciling ledgers"
    same = [
        Item("v1", "q", "q", "extract_summary", text, 1.0),
        Item("v2", "q", "q", "extract_summary", text, 1.0),
    ]
    assert similar_pairs(same, 5) == []
    other = [*same, Item("w1", "w", "w", "extract_summary", text, 1.0)]
    assert {p[2] for p in similar_pairs(other, 5)} == {1.0} and len(similar_pairs(other, 5)) == 2
