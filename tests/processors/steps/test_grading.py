"""The two summary graders: what they catch and what their reasons say."""

from __future__ import annotations

import pytest

from processors.llm.tasks import MissingInput
from processors.steps import grading
from processors.steps.models import GradeInput, GradeOutput
from tests.processors.steps.samples import INJECTION, SHORT_PROSE, sample

RULES = "rules-1"
GOOD = (
    "We're looking for a detail-oriented Staff Accountant to join our six-person finance team. "
    "CPA designation, or currently enrolled in the CPA PEP program — required. "
    "Salary: $68,000 \u2013 $82,000 CAD plus bonus, a generous staff discount and 3 weeks' vacation. "
    "Maplecrest Outdoor Co. designs and sells camping and paddling gear through 11 retail stores."
)


def _inp(text: str, posting_id: str = "lv-maplecrest-8830") -> GradeInput:
    return GradeInput(**sample(posting_id).model_dump(), summary=text)


def _grounding(text: str) -> GradeOutput:
    return grading.GRADE_GROUNDING.rules(_inp(text), RULES)  # type: ignore[misc]


def _coverage(text: str) -> GradeOutput:
    return grading.GRADE_COVERAGE.rules(_inp(text), RULES)  # type: ignore[misc]


def test_a_faithful_summary_passes_both() -> None:
    assert _grounding(GOOD) == GradeOutput(passed=True, score=1.0, reasons=[])
    assert _coverage(GOOD).passed


def test_grounding_names_the_invented_sentence_and_score_is_the_grounded_fraction() -> None:
    out = _grounding(GOOD + " Free lunch is served daily in Vancouver.")
    assert not out.passed
    assert out.score == pytest.approx(4 / 5)
    assert len(out.reasons) == 1 and "Vancouver" in out.reasons[0]


def test_grounding_catches_a_changed_number_and_a_foreign_email() -> None:
    out = _grounding(GOOD.replace("$68,000", "$86,000") + " Write to hr@maplecrest.example.")
    assert not out.passed and out.score == pytest.approx(3 / 5)
    assert any("$86,000" in r for r in out.reasons)
    assert any("hr@maplecrest.example" in r for r in out.reasons)


def test_paraphrase_from_posting_words_is_grounded() -> None:
    assert _grounding("Staff Accountant for the finance team of Maplecrest Outdoor Co.").passed


def test_grounding_refuses_a_copied_instruction() -> None:
    inp = GradeInput(**SHORT_PROSE.model_dump(), summary=f"We are looking for a Barista. {INJECTION}")
    out = grading.GRADE_GROUNDING.rules(inp, RULES)  # type: ignore[misc]
    assert not out.passed and "instruction" in out.reasons[0]


def test_empty_summary_fails() -> None:
    assert _grounding("") == GradeOutput(passed=False, score=0.0, reasons=["summary is empty"])


def test_coverage_says_what_is_missing() -> None:
    out = _coverage("Prepare HST filings and support the annual audit.")
    assert not out.passed
    joined = " | ".join(out.reasons)
    for expected in ("too short", "role", "company", "requirement", "pay"):
        assert expected in joined
    assert out.score == pytest.approx(1 - 5 / 6, abs=1e-3)


def test_coverage_flags_length_and_duplicates() -> None:
    assert any("too long" in r for r in _coverage(GOOD + " " + GOOD).reasons)
    assert any("repeats" in r for r in _coverage(GOOD + " " + GOOD.split(". ")[0] + ".").reasons)


def test_salary_is_not_required_when_the_posting_has_none() -> None:
    inp = GradeInput(
        **sample("gh-kesslerwynn-4410").model_dump(),
        summary=(
            "Kessler Wynn & Ortiz is a 45-lawyer litigation boutique representing employers in federal and "
            "state courts across the Midwest. Bar admission in Illinois — required (candidates admitted in "
            "another state must sit for the next UBE/Illinois exam). Associate Attorney."
        ),
    )
    reasons = grading.GRADE_COVERAGE.rules(inp, RULES).reasons  # type: ignore[misc]
    assert not any("pay" in r for r in reasons)


def test_check_finds_inconsistent_grades() -> None:
    inp = _inp(GOOD)
    assert grading.check_grade(inp, GradeOutput(passed=False, score=0.2)) == [
        "a failed grade must give reasons"
    ]
    assert grading.check_grade(inp, GradeOutput(passed=True, score=0.1))
    assert grading.check_grade(inp, GradeOutput(passed=True, score=0.9)) == []


def test_prompts_require_summary_and_hash_follows_input() -> None:
    for task in (grading.GRADE_GROUNDING, grading.GRADE_COVERAGE):
        prompt = task.build_prompt(_inp(GOOD))
        assert prompt.hash == task.build_prompt(_inp(GOOD)).hash
        assert prompt.hash != task.build_prompt(_inp(GOOD + " More.")).hash
        with pytest.raises(MissingInput, match="summary"):
            task.build_prompt(_inp(" "))
        with pytest.raises(MissingInput, match="description"):
            task.build_prompt(_inp(GOOD).model_copy(update={"description": ""}))
