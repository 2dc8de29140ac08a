"""extract_summary and improve_summary: extractive, bounded, grounded, repaired on re-grade."""

from __future__ import annotations

import time

import pytest

from processors.llm.tasks import MissingInput
from processors.steps import grading, summary
from processors.steps.models import GradeInput, ImproveInput, PostingText, SummaryOutput
from processors.steps.sentences import sentences
from tests.processors.steps.samples import INJECTION, SHORT_PROSE, all_samples, sample

RULES = "rules-1"


def _grade(posting: PostingText, text: str) -> tuple[bool, bool]:
    inp = GradeInput(**posting.model_dump(), summary=text)
    return (
        grading.GRADE_GROUNDING.rules(inp, RULES).passed,  # type: ignore[misc]
        grading.GRADE_COVERAGE.rules(inp, RULES).passed,  # type: ignore[misc]
    )


def _summarise(posting: PostingText) -> str:
    out = summary.EXTRACT_SUMMARY.rules(posting, RULES)  # type: ignore[misc]
    assert isinstance(out, SummaryOutput)
    return out.summary


@pytest.mark.parametrize("posting", all_samples(), ids=lambda p: p.title[:30])
def test_every_sample_summary_passes_both_graders(posting: PostingText) -> None:
    text = _summarise(posting)
    assert 0 < len(text) <= grading.MAX_CHARS
    assert 1 < len(sentences(text)) <= grading.MAX_SENTENCES
    assert _grade(posting, text) == (True, True)
    assert summary.EXTRACT_SUMMARY.check(posting, SummaryOutput(summary=text)) == []


def test_summary_keeps_original_wording_in_posting_order() -> None:
    posting = sample("gh-brightloom-7731")
    text = _summarise(posting)
    assert "We're hiring a Senior Backend Engineer to join the Platform team" in text
    assert "5+ years of professional backend development" in text
    assert "equal opportunity" not in text
    positions = [
        posting.description.find(s.rstrip("."))
        for s in sentences(text)
        if s.rstrip(".") in posting.description
    ]
    assert positions == sorted(positions)


def test_salary_sentence_is_included_when_stated() -> None:
    assert "42.000 €" in _summarise(sample("stp-884120"))
    assert "£11.50 per hour" in _summarise(SHORT_PROSE)


def test_prompt_injection_is_never_copied() -> None:
    text = _summarise(SHORT_PROSE)
    assert "Ignore" not in text and "instructions" not in text


@pytest.mark.parametrize("description", ["", "Apply now.", "Great job!"])
def test_empty_or_one_line_description_falls_back_to_the_posting_fields(description: str) -> None:
    posting = PostingText(
        title="Night Porter", company="Hotel Lark", location="York", description=description
    )
    text = _summarise(posting)
    assert text.startswith("Night Porter \u2014 Hotel Lark, York.")
    assert _grade(posting, text)[0]


def test_five_megabyte_description_is_fast_and_bounded() -> None:
    filler = "Our platform team builds reliable services for customers across Europe. " * 70_000
    posting = PostingText(
        title="Platform Engineer",
        company="Vastline",
        description="Vastline is hiring a Platform Engineer. You need 5+ years of experience with Go.\n"
        + filler,
    )
    assert len(posting.description) > 5_000_000
    start = time.perf_counter()
    text = _summarise(posting)
    inp = GradeInput(**posting.model_dump(), summary=text)
    grounded = grading.GRADE_GROUNDING.rules(inp, RULES)  # type: ignore[misc]
    assert time.perf_counter() - start < 10.0
    assert len(text) <= grading.MAX_CHARS and grounded.passed


def test_html_and_mojibake_leftovers_do_not_crash() -> None:
    posting = PostingText(
        title="Caf\u00c3\u00a9 Manager",
        company="<b>Bistro</b>",
        description="<p>We&#39;re hiring &amp; growing</p>\u00e2\u20ac\u00a2 Run the caf\u00c3\u00a9\n\x00\ufeff<li>Lead staff",
    )
    text = _summarise(posting)
    assert text and _grade(posting, text)[0]


def test_improve_repairs_an_ungrounded_and_incomplete_summary() -> None:
    posting = sample("lv-maplecrest-8830")
    bad = "Maplecrest pays $150,000 and offers a Tesla. We're looking for a detail-oriented Staff Accountant."
    assert _grade(posting, bad) == (False, False)
    reasons = ["names not in the posting: Tesla, $150,000", "omits the pay", "mentions no requirement"]
    out = summary.IMPROVE_SUMMARY.rules(
        ImproveInput(**posting.model_dump(), summary=bad, reasons=reasons), RULES
    )  # type: ignore[misc]
    assert "Tesla" not in out.summary
    assert _grade(posting, out.summary) == (True, True)


@pytest.mark.parametrize("posting", all_samples()[::5], ids=lambda p: p.title[:30])
def test_improve_trims_a_too_long_summary(posting: PostingText) -> None:
    long = " ".join(sentences(posting.description)[:12])
    inp = ImproveInput(**posting.model_dump(), summary=long, reasons=["too long"])
    out = summary.IMPROVE_SUMMARY.rules(inp, RULES)  # type: ignore[misc]
    assert _grade(posting, out.summary) == (True, True)


def test_check_catches_an_injected_sentence_and_name() -> None:
    posting = sample("gh-brightloom-7731")
    good = _summarise(posting)
    invented = SummaryOutput(summary=good + " The team works from Lisbon with Haskell.")
    problems = summary.EXTRACT_SUMMARY.check(posting, invented)
    assert problems and any("Lisbon" in p or "not found" in p for p in problems)
    renamed = SummaryOutput(summary=good.replace("Austin", "Denver"))
    assert any("Denver" in p for p in summary.EXTRACT_SUMMARY.check(posting, renamed))
    copied = SummaryOutput(summary=f"{good} {INJECTION}")
    assert summary.EXTRACT_SUMMARY.check(SHORT_PROSE, copied)


def test_prompt_requires_title_and_description_and_hash_is_stable() -> None:
    posting = sample("stp-884120")
    first = summary.EXTRACT_SUMMARY.build_prompt(posting)
    assert first.hash == summary.EXTRACT_SUMMARY.build_prompt(sample("stp-884120")).hash
    assert first.version == "extract_summary/1" and "Elektriker" in first.user
    changed = posting.model_copy(update={"description": posting.description + " Neu."})
    assert summary.EXTRACT_SUMMARY.build_prompt(changed).hash != first.hash
    with pytest.raises(MissingInput, match="description"):
        summary.EXTRACT_SUMMARY.build_prompt(posting.model_copy(update={"description": "  "}))
    with pytest.raises(MissingInput, match="title"):
        summary.EXTRACT_SUMMARY.build_prompt(posting.model_copy(update={"title": ""}))


def test_improve_prompt_requires_summary_and_reasons() -> None:
    posting = sample("stp-884120")
    inp = ImproveInput(**posting.model_dump(), summary="Elektriker gesucht.", reasons=["too short"])
    assert "too short" in summary.IMPROVE_SUMMARY.build_prompt(inp).user
    with pytest.raises(MissingInput, match="reasons"):
        summary.IMPROVE_SUMMARY.build_prompt(inp.model_copy(update={"reasons": [" "]}))
    with pytest.raises(MissingInput, match="summary"):
        summary.IMPROVE_SUMMARY.build_prompt(inp.model_copy(update={"summary": ""}))


def test_unknown_ruleset_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="rules-1"):
        summary.EXTRACT_SUMMARY.rules(SHORT_PROSE, "rules-9")  # type: ignore[misc]
