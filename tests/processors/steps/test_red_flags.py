"""Analyst, skeptic and verdict: flags with evidence, challenged, combined."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from processors.llm.tasks import MissingInput
from processors.steps import red_flags
from processors.steps.models import (
    AnalystOutput,
    FlagReview,
    RedFlag,
    RedFlagInput,
    SkepticInput,
    SkepticOutput,
    VerdictInput,
    VerdictOutput,
)
from tests.processors.steps.samples import INJECTION, SHORT_PROSE, sample

RULES = "rules-1"

SCAM = RedFlagInput(
    title="Junior Sales Rockstar - entry level",
    company="Apex Dream",
    description=(
        "Be your own boss with unlimited earning potential! This is a commission only role for young "
        "candidates, max 30 years old. No experience needed, but you need 5+ years of experience in sales. "
        "A training fee of $99 covers your starter kit. Contact us on Telegram or apexdream@gmail.com. "
        "Join our dynamic, fast-paced team of passionate self-starters. " + INJECTION
    ),
    times_seen=6,
)


def _analyse(inp: RedFlagInput) -> AnalystOutput:
    return red_flags.RED_FLAGS_ANALYST.rules(inp, RULES)  # type: ignore[misc]


def _review(inp: RedFlagInput, flags: list[RedFlag]) -> SkepticOutput:
    return red_flags.RED_FLAGS_SKEPTIC.rules(SkepticInput(**inp.model_dump(), flags=flags), RULES)  # type: ignore[misc]


def _verdict(flags: list[RedFlag], reviews: list[FlagReview]) -> VerdictOutput:
    return red_flags.RED_FLAGS_VERDICT.rules(VerdictInput(title="T", flags=flags, reviews=reviews), RULES)  # type: ignore[misc]


def test_the_scam_raises_every_text_flag_with_quoted_evidence() -> None:
    flags = {flag.code: flag for flag in _analyse(SCAM).flags}
    expected = {
        "prompt_injection",
        "pay_to_apply",
        "mlm",
        "age_bias",
        "contradictory_requirements",
        "contact_offplatform",
        "vague_duties",
        "missing_salary",
        "repost",
    }
    assert set(flags) == expected
    assert "Ignore all previous instructions" in flags["prompt_injection"].evidence
    assert "training fee" in flags["pay_to_apply"].evidence
    assert flags["mlm"].severity == 0.7  # two separate MLM sentences
    assert flags["age_bias"].severity == 0.6  # an explicit age limit
    assert flags["contact_offplatform"].severity == 0.6  # a personal email address
    assert flags["repost"].severity == 0.5  # 0.1 per extra sighting
    assert red_flags.RED_FLAGS_ANALYST.check(SCAM, _analyse(SCAM)) == []


def test_the_skeptic_upholds_the_scam_and_the_verdict_is_suspect() -> None:
    flags = _analyse(SCAM).flags
    reviews = _review(SCAM, flags).reviews
    assert [r.code for r in reviews] == [f.code for f in flags]
    assert all(r.upheld for r in reviews)
    verdict = _verdict(flags, reviews)
    assert verdict.category == "suspect" and verdict.ihl_score > 0.99
    assert "prompt_injection" in verdict.rationale


def test_a_genuine_sample_is_genuine() -> None:
    posting = sample("gh-brightloom-7731")
    inp = RedFlagInput(**posting.model_dump(), salary_min=165000, salary_max=195000, currency="USD")
    flags = _analyse(inp).flags
    assert flags == []
    verdict = _verdict(flags, [])
    assert verdict == VerdictOutput(ihl_score=0.0, category="genuine", rationale=verdict.rationale)


def test_whatsapp_as_an_extra_channel_is_flagged_then_dismissed() -> None:
    inp = RedFlagInput(**sample("stp-884120").model_dump(), salary_min=42000)
    flags = _analyse(inp).flags
    assert [f.code for f in flags] == ["contact_offplatform"]
    (review,) = _review(inp, flags).reviews
    assert not review.upheld and "extra channel" in review.reason


def test_prompt_injection_in_a_real_posting_is_flagged() -> None:
    inp = RedFlagInput(**SHORT_PROSE.model_dump())
    assert [f.code for f in _analyse(inp).flags if f.code == "prompt_injection"] == ["prompt_injection"]


def test_skeptic_weakens_or_rejects_flags_that_do_not_hold() -> None:
    inp = RedFlagInput(**sample("lv-brackenly-1406").model_dump(), times_seen=2)
    flags = [
        RedFlag(code="missing_salary", severity=0.2, evidence="no salary"),
        RedFlag(code="vague_duties", severity=0.4, evidence="few duties"),
        RedFlag(code="repost", severity=0.1, evidence="seen twice"),
        RedFlag(code="age_bias", severity=0.3, evidence="Lead, coach and grow a team"),
        RedFlag(code="mlm", severity=0.6, evidence="unlimited earning potential"),
    ]
    reviews = {r.code: r for r in _review(inp, flags).reviews}
    assert reviews["missing_salary"].upheld and reviews["missing_salary"].severity == pytest.approx(0.1)
    assert not reviews["vague_duties"].upheld
    assert not reviews["repost"].upheld
    assert not reviews["age_bias"].upheld
    assert not reviews["mlm"].upheld and "does not occur" in reviews["mlm"].reason


def test_junior_wording_in_a_senior_title_is_dismissed() -> None:
    inp = RedFlagInput(title="Senior Engineer", company="C", description="Mentor a junior position holder.")
    flag = RedFlag(
        code="contradictory_requirements", severity=0.5, evidence="Mentor a junior position holder."
    )
    assert not _review(inp, [flag]).reviews[0].upheld


def test_unrealistic_years_need_a_posting_date() -> None:
    text = "We need 13+ years of experience with Kubernetes (it was released in 2014)."
    undated = RedFlagInput(title="SRE", company="C", description=text, salary_min=1)
    dated = undated.model_copy(update={"posted_at": datetime(2026, 1, 5, tzinfo=UTC)})
    assert "unrealistic_requirements" not in {f.code for f in _analyse(undated).flags}
    assert "unrealistic_requirements" in {f.code for f in _analyse(dated).flags}


def test_verdict_arithmetic() -> None:
    flags = [
        RedFlag(code="repost", severity=0.4, evidence="seen 5 times"),
        RedFlag(code="missing_salary", severity=0.2, evidence="none"),
        RedFlag(code="mlm", severity=0.6, evidence="x"),
        RedFlag(code="age_bias", severity=0.5, evidence="y"),
    ]
    reviews = [
        FlagReview(code="repost", upheld=True, reason="r"),
        FlagReview(code="missing_salary", upheld=True, reason="r", severity=0.1),
        FlagReview(code="mlm", upheld=False, reason="r"),
    ]  # age_bias has no review: it counts as upheld
    verdict = _verdict(flags, reviews)
    expected = 1 - (1 - 0.4) * (1 - 0.1) * (1 - 0.6 * 0.25) * (1 - 0.5)
    assert verdict.ihl_score == pytest.approx(expected, abs=1e-4)  # 0.7705
    assert verdict.category == "suspect"
    assert "repost (0.40)" in verdict.rationale and "Dismissed: mlm" in verdict.rationale
    assert (
        red_flags.RED_FLAGS_VERDICT.check(VerdictInput(title="T", flags=flags, reviews=reviews), verdict)
        == []
    )


@pytest.mark.parametrize(
    ("score", "category"), [(0.0, "genuine"), (0.29, "genuine"), (0.3, "uncertain"), (0.6, "suspect")]
)
def test_category_thresholds(score: float, category: str) -> None:
    assert red_flags.category(score) == category


def test_checks_catch_ungrounded_evidence_missing_reviews_and_wrong_categories() -> None:
    bad = AnalystOutput(flags=[RedFlag(code="mlm", severity=0.6, evidence="earn $5000 a week from home")])
    assert red_flags.RED_FLAGS_ANALYST.check(SCAM, bad)
    inp = SkepticInput(**SCAM.model_dump(), flags=_analyse(SCAM).flags)
    assert red_flags.RED_FLAGS_SKEPTIC.check(inp, SkepticOutput(reviews=[]))
    verdict_in = VerdictInput(title="T", flags=[], reviews=[])
    assert red_flags.RED_FLAGS_VERDICT.check(
        verdict_in, VerdictOutput(ihl_score=0.7, category="genuine", rationale="x")
    )


def test_prompts_require_title_and_description_but_accept_no_flags() -> None:
    prompt = red_flags.RED_FLAGS_ANALYST.build_prompt(SCAM)
    assert prompt.hash == red_flags.RED_FLAGS_ANALYST.build_prompt(SCAM).hash
    assert (
        prompt.hash
        != red_flags.RED_FLAGS_ANALYST.build_prompt(SCAM.model_copy(update={"times_seen": 7})).hash
    )
    with pytest.raises(MissingInput, match="description"):
        red_flags.RED_FLAGS_ANALYST.build_prompt(SCAM.model_copy(update={"description": ""}))
    skeptic_in = SkepticInput(**SCAM.model_dump(), flags=[])
    assert "(none)" in red_flags.RED_FLAGS_SKEPTIC.build_prompt(skeptic_in).user
    with pytest.raises(MissingInput, match="title"):
        red_flags.RED_FLAGS_VERDICT.build_prompt(VerdictInput(title=" ", flags=[], reviews=[]))
