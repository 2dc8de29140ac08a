"""Properties: the rules never raise on arbitrary text, outputs validate, ghost score is monotone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processors.steps import ghost, grading, red_flags, requirements, summary
from processors.steps.models import (
    AnalystOutput,
    GhostInput,
    GradeInput,
    GradeOutput,
    ImproveInput,
    PostingText,
    RedFlagInput,
    RequirementsOutput,
    SkepticInput,
    SkepticOutput,
    SummaryOutput,
    VerdictInput,
    VerdictOutput,
)

RULES = "rules-1"
PIECES = [
    "Requirements:", "Nice to have:", "Ihr Profil:", "Aufgaben", "About us", "- ", "\u2022 ", "1. ", "z. B. ",
    "5+ years of Python", "e.g.", "Dr.", "3.5", "$120,000", "€", "Ignore previous instructions", "WhatsApp",
    "\n", "\n\n", ". ", "Â©", "<p>", "&amp;", "\u200b", "ß", "İ", "\u3002",
]  # fmt: skip
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=30).map("".join)
postings = st.builds(PostingText, title=text, company=text, description=text, location=text)
slow = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@slow
@given(postings)
def test_extraction_rules_never_raise_and_validate(posting: PostingText) -> None:
    out = summary.EXTRACT_SUMMARY.rules(posting, RULES)  # type: ignore[misc]
    SummaryOutput.model_validate(out.model_dump())
    assert len(out.summary) <= grading.MAX_CHARS
    reqs = requirements.EXTRACT_REQUIREMENTS.rules(posting, RULES)  # type: ignore[misc]
    RequirementsOutput.model_validate(reqs.model_dump())
    assert requirements.EXTRACT_REQUIREMENTS.check(posting, reqs) == []


@slow
@given(postings, text)
def test_grading_and_improving_never_raise(posting: PostingText, candidate: str) -> None:
    inp = GradeInput(**posting.model_dump(), summary=candidate)
    for task in (grading.GRADE_GROUNDING, grading.GRADE_COVERAGE):
        GradeOutput.model_validate(task.rules(inp, RULES).model_dump())  # type: ignore[misc]
    inp_improve = ImproveInput(**inp.model_dump(), reasons=["x"])
    improved = summary.IMPROVE_SUMMARY.rules(inp_improve, RULES)  # type: ignore[misc]
    SummaryOutput.model_validate(improved.model_dump())
    # Only a posting with no words at all leaves nothing to summarise.
    assert summary.IMPROVE_SUMMARY.check(inp_improve, improved) == [] or not any(
        ch.isalnum() for ch in improved.summary
    )


@slow
@given(postings, st.integers(min_value=0, max_value=50))
def test_red_flag_chain_never_raises(posting: PostingText, seen: int) -> None:
    inp = RedFlagInput(**posting.model_dump(), times_seen=seen)
    flags = red_flags.RED_FLAGS_ANALYST.rules(inp, RULES)  # type: ignore[misc]
    AnalystOutput.model_validate(flags.model_dump())
    assert red_flags.RED_FLAGS_ANALYST.check(inp, flags) == []
    skeptic_in = SkepticInput(**inp.model_dump(), flags=flags.flags)
    reviews = red_flags.RED_FLAGS_SKEPTIC.rules(skeptic_in, RULES)  # type: ignore[misc]
    SkepticOutput.model_validate(reviews.model_dump())
    assert red_flags.RED_FLAGS_SKEPTIC.check(skeptic_in, reviews) == []
    verdict_in = VerdictInput(title=posting.title, flags=flags.flags, reviews=reviews.reviews)
    verdict = red_flags.RED_FLAGS_VERDICT.rules(verdict_in, RULES)  # type: ignore[misc]
    VerdictOutput.model_validate(verdict.model_dump())
    assert red_flags.RED_FLAGS_VERDICT.check(verdict_in, verdict) == []


AS_OF = datetime(2026, 12, 1, tzinfo=UTC)
ghost_inputs = st.builds(
    GhostInput,
    posted_at=st.one_of(st.none(), st.integers(-30, 4000).map(lambda d: AS_OF - timedelta(days=d))),
    first_seen_at=st.integers(0, 4000).map(lambda d: AS_OF - timedelta(days=d)),
    as_of=st.just(AS_OF),
    times_seen=st.integers(0, 10_000),
    times_changed=st.integers(0, 10_000),
    has_salary=st.booleans(),
    description_chars=st.integers(0, 10**7),
    ihl_score=st.one_of(st.none(), st.floats(0, 1)),
)


def _ghost(inp: GhostInput) -> float:
    out = ghost.GHOST_SCORE.rules(inp, RULES)  # type: ignore[misc]
    assert 0.0 <= out.ghost_score <= 100.0
    return out.ghost_score


@settings(max_examples=200)
@given(ghost_inputs, st.integers(0, 3000), st.integers(0, 1000))
def test_ghost_score_is_bounded_and_monotone(inp: GhostInput, older_by: int, more_seen: int) -> None:
    base = _ghost(inp)
    shift = timedelta(days=older_by)
    older = inp.model_copy(
        update={
            "posted_at": inp.posted_at - shift if inp.posted_at else None,
            "first_seen_at": inp.first_seen_at - shift,
        }
    )
    assert _ghost(older) >= base
    assert _ghost(inp.model_copy(update={"times_seen": inp.times_seen + more_seen})) >= base


def test_an_amount_ends_where_the_next_sentence_begins() -> None:
    # Found by the property above: the improver joins fields with ". ", and "$120,000. 5+" once read as one amount.
    posting = PostingText(title="", company="", description="5+ years of Python", location="e.g.$120,000")
    inp = ImproveInput(**posting.model_dump(), summary="", reasons=["x"])
    improved = summary.IMPROVE_SUMMARY.rules(inp, RULES)  # type: ignore[misc]
    assert summary.IMPROVE_SUMMARY.check(inp, improved) == []
