"""hybrid-1's own E, C and T readings (hybrid_sect.py and its readers); rules-1 reads these lines as before."""

from __future__ import annotations

import pytest

from infra.linking_index import default_linker
from processors.lily import hybrid, rules, stakes
from processors.lily.model import ProofStack
from processors.lily.wide_durations import find_wide_durations
from processors.lily.wide_outcomes import find_wide_outcomes
from processors.linking.linker import Linker
from processors.taxonomy import store


@pytest.fixture(scope="module")
def linker() -> Linker:
    return default_linker("esco")


def one(line: str, linker: Linker) -> ProofStack:
    stacks = hybrid.decompose(line, linker, store.builtin())
    assert len(stacks) == 1, stacks
    return stacks[0]


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit", "op"),
    [
        ("Ten-plus years leading kitchens", 10, None, "years", ">="),
        ("twenty-four months on site", 24, None, "months", "=="),
        ("Two decades in print", 20, None, "years", "=="),
        ("a decade-plus of nursing", 10, None, "years", ">="),
        ("Five (5) years of audit work", 5, None, "years", "=="),
        ("11 or more years of teaching", 11, None, "years", ">="),
        ("a year and a half of tutoring", 1.5, None, "years", "=="),
        ("almost three years of driving", 3, None, "years", "~"),
        ("between 2 and 4 years", 2, 4, "years", "range"),
        ("7+ yrs", 7, None, "years", ">="),
    ],
)
def test_wide_durations(text: str, value: float, value_max: float | None, unit: str, op: str) -> None:
    (d,) = find_wide_durations(text)
    assert (d.value, d.value_max, d.unit, d.op) == (value, value_max, unit, op)


def test_wide_outcomes_read_scale_with_words_between_before_and_after_and_growth() -> None:
    (scale,) = find_wide_outcomes("Ran services for 4M monthly paying users")
    assert (scale.category, scale.value, scale.unit) == ("scale", 4_000_000, "users")
    (faster,) = find_wide_outcomes("Took payroll close from 8 days to 2")
    assert (faster.category, faster.value) == ("efficiency", 75.0)
    (grown,) = find_wide_outcomes("Grew the chapter from 10 to 90 members")
    assert (grown.category, grown.value) == ("growth", 90.0)


def test_stakes_markers() -> None:
    assert stakes.employer("4 years of Excel at a mid-sized insurer") is not None
    assert stakes.client_work("Shot weddings as a freelancer") is not None
    assert stakes.no_stakes("A hobby project with 300 stars") is not None
    where = stakes.industry("Minimum of 7 years in private equity")
    assert where is not None and where.text == "private equity"
    assert stakes.industry("5 years in Python") is None
    assert stakes.is_level("C1") and stakes.is_level("B2 level") and not stakes.is_level("Siemens")


def test_word_numbers_and_plus_reach_the_experience_layer(linker: Linker) -> None:
    s = one("Ten-plus years of Java development", linker)
    assert s.experience is not None and (s.experience.value, s.experience.op) == (10, ">=")
    assert rules.decompose("Ten-plus years of Java development", store.builtin())[0].experience is None


def test_an_employer_by_kind_keeps_the_duration_and_adds_t(linker: Linker) -> None:
    s = one("5 years Python at a bank", linker)
    assert s.skill is not None and "Python" in s.skill.name
    assert s.experience is not None and s.experience.value == 5
    assert s.track_record is not None and s.track_record.context == "a bank" and not s.context_ambiguous


def test_scale_and_efficiency_outcomes(linker: Linker) -> None:
    (s,) = hybrid.decompose("Built systems serving 10M monthly active users", linker, store.builtin())
    assert s.track_record is not None and (s.track_record.category, s.track_record.value) == ("scale", 1e7)
    assert "UNCERTAIN" not in s.flags
    stacks = hybrid.decompose("Cut month-end close from 10 days to 4", linker, store.builtin())
    assert any(x.track_record is not None and x.track_record.category == "efficiency" for x in stacks)


def test_client_work_is_t_and_a_side_project_is_e(linker: Linker) -> None:
    (paid,) = hybrid.decompose(
        "Delivered 15 websites for small-business clients as a freelancer", linker, store.builtin()
    )
    assert paid.track_record is not None and paid.track_record.context
    (side,) = hybrid.decompose("Side project with 10K users", linker, store.builtin())
    assert side.track_record is None
    assert side.experience is not None and side.experience.context is not None
    assert side.experience.context.startswith("side project")


def test_a_capability_with_years_is_a_skill_with_a_duration(linker: Linker) -> None:
    s = one("High analytical and technical capabilities (3 years)", linker)
    assert s.skill is not None and s.skill.name == "think analytically"
    assert s.experience is not None and s.experience.value == 3


def test_a_plus_certification_is_weak_c_and_no_degree_is_read_inside_a_word(linker: Linker) -> None:
    stacks = hybrid.decompose("Certified ScrumMaster (CSM) is a plus", linker, store.builtin())
    certs = [s.certification for s in stacks if s.certification is not None]
    assert [c.name for c in certs] == ["Certified ScrumMaster (CSM)"]
    assert {s.requirement_strength for s in stacks} == {"nice_to_have"}


def test_years_in_an_industry_have_no_skill_and_the_industry_as_context(linker: Linker) -> None:
    s = one("Minimum of 10 years in investment banking", linker)
    assert s.skill is None and "NEEDS_CONTEXT" not in s.flags
    assert s.experience is not None and s.experience.context == "investment banking"
    assert s.experience.op == ">=" and s.experience.value == 10


def test_a_language_level_is_the_skills_level_never_t(linker: Linker) -> None:
    s = one("French at C1 level", linker)
    assert s.skill is not None and s.skill.level == "C1" and s.track_record is None


def test_a_verb_read_into_a_skill_name_is_no_skill_when_an_outcome_follows(linker: Linker) -> None:
    s = one("Experience operating systems with 99.99% availability", linker)
    assert s.skill is None or "operating" not in s.skill.name.lower()
    assert s.track_record is not None and s.track_record.category == "quality"
    kept = hybrid.decompose("Experience with operating systems such as Linux", linker, store.builtin())
    assert any(k.skill is not None and k.skill.name == "operating systems" for k in kept)


def test_a_list_ending_in_or_is_one_requirement_and_no_generic_filler_is_a_skill(linker: Linker) -> None:
    (s,) = hybrid.decompose(
        "5+ years of experience in SRE, DevOps or infrastructure engineering", linker, store.builtin()
    )
    names = [s.skill.name if s.skill else "", *(a.name for a in s.alternatives)]
    assert "DevOps" in names and len(names) == 2
    assert "General Engineering" not in names


def test_experience_as_a_role_takes_its_skill_from_the_roles_occupation(linker: Linker) -> None:
    s = one("Two years' experience as a line cook", linker)
    job = linker.taxonomy.occupation("line cook")
    assert job is not None and s.skill is not None and s.skill.code in job.essential
    assert s.experience is not None and s.experience.value == 2


def test_a_cue_after_an_aside_is_the_whole_requirements(linker: Linker) -> None:
    stacks = hybrid.decompose("Soldering experience (SMD/THT) preferred", linker, store.builtin())
    assert stacks and {s.requirement_strength for s in stacks} == {"preferred"}


def test_a_credentials_title_words_are_its_name(linker: Linker) -> None:
    stacks = hybrid.decompose("Certified Scrum Master certification is a plus", linker, store.builtin())
    (c,) = [s.certification for s in stacks if s.certification is not None]
    assert c.name.startswith("Certified Scrum Master")


def test_the_word_licences_names_no_skill(linker: Linker) -> None:
    stacks = hybrid.decompose("Series 7 and 63 licences required", linker, store.builtin())
    assert all(s.skill is None or "licen" not in s.skill.name.lower() for s in stacks)


@pytest.mark.parametrize(
    ("line", "value"),
    [("Saved the firm $300K a year on freight", None), ("Beat quota three years running", None)],
)
def test_rates_and_streaks_are_no_experience_on_the_stack(
    line: str, value: float | None, linker: Linker
) -> None:
    stacks = hybrid.decompose(line, linker, store.builtin())
    assert all(s.experience is None for s in stacks)


def test_production_experience_is_track_record_beside_the_years(linker: Linker) -> None:
    stacks = hybrid.decompose("Over 4 years of production experience with Redis", linker, store.builtin())
    assert any(s.experience is not None and s.track_record is not None for s in stacks)


def test_a_skill_inside_the_employer_phrase_is_none_and_the_role_names_it(linker: Linker) -> None:
    stacks = hybrid.decompose("Six years as a paralegal at a law firm", linker, store.builtin())
    assert all(s.skill is None or s.skill.name.lower() != "law" for s in stacks)
    assert any(s.track_record is not None and s.track_record.context == "law firm" for s in stacks)


def test_volunteering_is_experience_and_names_no_skill(linker: Linker) -> None:
    (s,) = hybrid.decompose("Ran a €1M appeal for a shelter as a volunteer", linker, store.builtin())
    assert s.track_record is None and s.experience is not None
    assert s.skill is None or "volunteer" not in s.skill.name


def test_an_acronym_credential_keeps_its_long_name(linker: Linker) -> None:
    stacks = hybrid.decompose("Certified Ethical Hacker (CEH) is a plus", linker, store.builtin())
    names = [s.certification.name for s in stacks if s.certification is not None]
    assert any("Certified Ethical Hacker" in n and "CEH" in n for n in names), names
    assert {s.requirement_strength for s in stacks} == {"nice_to_have"}


@pytest.mark.parametrize("line", ["Ten-plus years", "Over a decade of experience", "Twelve years minimum"])
def test_a_bare_duration_needs_context(line: str, linker: Linker) -> None:
    (s,) = hybrid.decompose(line, linker, store.builtin())
    assert s.experience is not None and "NEEDS_CONTEXT" in s.flags


@pytest.mark.parametrize(
    ("line", "strength"),
    [("A Xero certificate would be nice", "nice_to_have"), ("Tableau is an asset", "nice_to_have")],
)
def test_cues_rules_1_does_not_know(line: str, strength: str, linker: Linker) -> None:
    stacks = hybrid.decompose(line, linker, store.builtin())
    assert stacks and {s.requirement_strength for s in stacks} == {strength}


def test_the_to_of_from_to_is_the_stacks_outcome_and_a_streak_span_no_experience(linker: Linker) -> None:
    stacks = hybrid.decompose("Grew ARR from $2M to $8M", linker, store.builtin())
    assert [s.track_record.value for s in stacks if s.track_record] == [8_000_000]
    stacks = hybrid.decompose("Tripled sales in two years", linker, store.builtin())
    assert all(s.experience is None for s in stacks)
    assert any(s.track_record is not None and s.track_record.category == "growth" for s in stacks)


def test_an_intern_at_a_named_firm_has_experience_not_track_record(linker: Linker) -> None:
    stacks = hybrid.decompose("Internship at Siemens building dashboards", linker, store.builtin())
    assert all(s.track_record is None for s in stacks)
    assert any(s.experience is not None and s.experience.context == "internship" for s in stacks)


def test_a_no_stakes_setting_alone_is_experience(linker: Linker) -> None:
    stacks = hybrid.decompose("Hackathon entry written in Rust", linker, store.builtin())
    assert any(s.experience is not None and s.experience.context == "hackathon" for s in stacks)


def test_a_role_is_context_enough(linker: Linker) -> None:
    (s,) = hybrid.decompose("6 years as CFO", linker, store.builtin())
    assert "NEEDS_CONTEXT" not in s.flags and s.experience is not None


def test_a_list_name_counts_nothing_and_a_cut_word_is_no_duration(linker: Linker) -> None:
    stacks = hybrid.decompose("Advised FTSE 100 clients for 4 years", linker, store.builtin())
    assert all(s.track_record is None or s.track_record.value is None for s in stacks)
    stacks = hybrid.decompose("Released 4 mobile games to paying players", linker, store.builtin())
    assert all(s.experience is None for s in stacks)


def test_a_degrees_subject_is_its_skill_not_its_acronym(linker: Linker) -> None:
    stacks = hybrid.decompose("LLM in Tax Law is desirable", linker, store.builtin())
    (s,) = [s for s in stacks if s.certification is not None]
    assert s.skill is not None and "language model" not in s.skill.name.lower()
    assert s.skill.mention is not None and s.skill.mention.start >= len("LLM in ")


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Mother-tongue level Czech", "mother-tongue"),
        ("Near-native Korean", "near-native"),
        ("Working proficiency in Swedish", "working-proficiency"),
    ],
)
def test_more_language_levels(line: str, level: str, linker: Linker) -> None:
    (s,) = hybrid.decompose(line, linker, store.builtin())
    assert s.skill is not None and s.skill.level == level and s.track_record is None


def test_a_degrees_subjects_joined_by_or_are_alternatives(linker: Linker) -> None:
    (s,) = hybrid.decompose("A degree in Chemistry or Biology", linker, store.builtin())
    assert s.certification is not None and s.skill is not None and len(s.alternatives) == 1


def test_a_credential_word_after_or_is_each_skills(linker: Linker) -> None:
    stacks = hybrid.decompose("GCP or Azure certification is a plus", linker, store.builtin())
    names = sorted(s.certification.name for s in stacks if s.certification is not None)
    assert names == ["Azure certification", "GCP certification"]
    assert {s.requirement_strength for s in stacks} == {"nice_to_have"}


def test_a_bare_duration_takes_the_titles_skill_and_keeps_the_flag(linker: Linker) -> None:
    (s,) = hybrid.decompose("Ten-plus years", linker, store.builtin(), title="software developer")
    assert s.skill is not None and "NEEDS_CONTEXT" in s.flags
