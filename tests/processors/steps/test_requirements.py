"""extract_requirements: sections in several languages, inline cues, culture kept apart."""

from __future__ import annotations

import pytest

from processors.llm.tasks import MissingInput
from processors.steps import requirements
from processors.steps.models import PostingText, RequirementsOutput
from processors.steps.sentences import core
from tests.processors.steps.samples import INJECTION, all_samples, sample

RULES = "rules-1"


def _extract(posting: PostingText) -> RequirementsOutput:
    return requirements.EXTRACT_REQUIREMENTS.rules(posting, RULES)  # type: ignore[misc]


@pytest.mark.parametrize("posting", all_samples(), ids=lambda p: p.title[:30])
def test_every_sample_has_grounded_requirements_and_duties(posting: PostingText) -> None:
    out = _extract(posting)
    assert len(out.requirements) >= 3 and len(out.responsibilities) >= 3
    assert requirements.EXTRACT_REQUIREMENTS.check(posting, out) == []
    assert all(
        len(line) <= requirements.MAX_LINE_CHARS and not line.startswith("- ") for line in out.requirements
    )
    listed = {core(line) for line in [*out.requirements, *out.responsibilities]}
    assert not any(core(line) in listed for line in out.culture_text.splitlines())


def test_german_sections() -> None:
    out = _extract(sample("stp-884120"))
    assert out.requirements[0].startswith("Abgeschlossene Berufsausbildung")
    assert "Mindestens 3 Jahre Berufserfahrung im Handwerk" in out.requirements
    assert out.responsibilities[0].startswith("Installation und Wartung")
    assert "30 Tage Urlaub" in out.culture_text
    assert "WhatsApp" not in out.culture_text  # the application line is not culture


def test_french_and_spanish_sections() -> None:
    french = _extract(sample("cs-corbelle-3310"))
    assert french.requirements[1].startswith("3 à 5 ans d'expérience")
    assert french.responsibilities[0].startswith("Tenir la comptabilité")
    spanish = _extract(sample("ind-es-77420"))
    assert spanish.requirements[0] == "Experiencia mínima de 1 año en recepción de hotel"
    assert "Gestión de check-in" in spanish.responsibilities[0]


def test_nice_to_have_keeps_a_cue() -> None:
    posting = PostingText(
        title="Data Engineer",
        company="Acme",
        description="Requirements:\n- 3+ years of SQL\nNice to have:\n- Airflow\n- dbt is a plus",
    )
    out = _extract(posting)
    assert out.requirements == ["3+ years of SQL", "Airflow (nice to have)", "dbt is a plus"]
    assert requirements.EXTRACT_REQUIREMENTS.check(posting, out) == []


def test_prose_posting_uses_inline_cues() -> None:
    posting = PostingText(
        title="Welder",
        company="Forge & Co",
        description=(
            "Forge & Co has built bridges for 40 years. Our team values craft and safety. You will weld "
            "structural steel on site. You need at least 3 years of experience with MIG welding. "
            "We offer 25 days of holiday. Equal opportunity employer. " + INJECTION
        ),
    )
    out = _extract(posting)
    assert out.requirements == ["You need at least 3 years of experience with MIG welding."]
    assert out.responsibilities == ["You will weld structural steel on site."]
    assert "40 years" in out.culture_text and "25 days of holiday" in out.culture_text
    assert "Ignore" not in out.culture_text and "Equal opportunity" not in out.culture_text


def test_limits_on_count_and_length() -> None:
    items = "\n".join(f"- Skill number {i} " + "x" * 400 for i in range(100))
    out = _extract(PostingText(title="T", company="C", description=f"Requirements:\n{items}"))
    assert len(out.requirements) == requirements.MAX_LINES
    assert all(len(line) <= requirements.MAX_LINE_CHARS for line in out.requirements)


def test_duplicates_are_dropped() -> None:
    out = _extract(PostingText(title="T", company="C", description="Requirements:\n- Python\n- python\n- Go"))
    assert out.requirements == ["Python", "Go"]


def test_check_catches_invented_lines_and_culture_leaks() -> None:
    posting = sample("gh-brightloom-7731")
    out = _extract(posting)
    invented = out.model_copy(update={"requirements": [*out.requirements, "10 years of Rust"]})
    assert any("10 years of Rust" in p for p in requirements.EXTRACT_REQUIREMENTS.check(posting, invented))
    leaked = out.model_copy(update={"culture_text": out.culture_text + "\n" + out.requirements[0]})
    assert any("repeats" in p for p in requirements.EXTRACT_REQUIREMENTS.check(posting, leaked))
    fake = out.model_copy(update={"culture_text": "We have a ping-pong table."})
    assert requirements.EXTRACT_REQUIREMENTS.check(posting, fake)


def test_prompt_requires_a_description() -> None:
    posting = sample("gh-brightloom-7731")
    prompt = requirements.EXTRACT_REQUIREMENTS.build_prompt(posting)
    assert prompt.version == "extract_requirements/1" and "Brightloom" in prompt.user
    assert prompt.hash == requirements.EXTRACT_REQUIREMENTS.build_prompt(sample("gh-brightloom-7731")).hash
    with pytest.raises(MissingInput, match="description"):
        requirements.EXTRACT_REQUIREMENTS.build_prompt(posting.model_copy(update={"description": ""}))
