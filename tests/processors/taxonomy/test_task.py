"""The map_skills task: prompt, rules engine and output checks."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from processors.llm.tasks import MissingInput
from processors.taxonomy import store
from processors.taxonomy.model import Skill, Taxonomy
from processors.taxonomy.task import (
    TASK,
    MappedSkill,
    MapSkillsInput,
    MapSkillsOutput,
    RequirementRef,
    build_prompt,
    check,
    rules,
    task_for,
)

TAX = store.builtin()


def posting() -> MapSkillsInput:
    return MapSkillsInput(
        title="ICU Nurse",
        requirements=[
            RequirementRef(
                index=0,
                text="BSc in Nursing and an active RN licence",
                skill_names=["Nursing"],
                implied=["patient care", "clinical assessment"],
            ),
            RequirementRef(
                index=1,
                text="3+ years of wound care and medication administration",
                skill_names=["wound care"],
            ),
            RequirementRef(
                index=2, text="Good knowledge of Epic", skill_names=["Epik charting system", "Zorblax"]
            ),
        ],
    )


def mapped(out: MapSkillsOutput) -> dict[tuple[str | None, int], MappedSkill]:
    return {(s.code, s.requirement_index): s for s in out.skills}


def test_task_is_registered_reading_the_builtin_taxonomy():
    assert TASK.name == "map_skills" and TASK.taxonomy == TAX.identity
    assert TASK.json_schema()["title"] == "MapSkillsOutput"
    assert TASK.rules is not None and TASK.rules(posting(), "rules-1") == rules(posting(), "rules-1", TAX)


def test_the_task_reads_the_taxonomy_it_is_built_for():
    only_epic = Taxonomy.from_skills([Skill("01.01.01.001", "Epic", ("Epic EHR",))], source="epic-only")
    task = task_for(only_epic)
    assert task.taxonomy == only_epic.identity != TAX.identity
    assert task.rules is not None
    codes = {s.code for s in task.rules(posting(), "rules-1").skills if s.code}
    assert codes == {"01.01.01.001"}
    assert "01.01.01.001 Epic" in task.build_prompt(posting()).user
    # A code of the built-in taxonomy is unknown to this one.
    builtin_out = rules(posting(), "rules-1", TAX)
    assert any("is not in the taxonomy (epic-only)" in p for p in task.check(posting(), builtin_out))


def test_rules_map_explicit_implied_text_and_title():
    tax = store.builtin()
    out = rules(posting(), "rules-1", TAX)
    got = mapped(out)
    nursing, patient_care = tax.lookup("Nursing").code, tax.lookup("patient care").code
    assert got[(nursing, 0)].source == "explicit" and got[(nursing, 0)].confidence == 0.95
    assert got[(nursing, 0)].path == [
        "Specialized & Domain",
        "Healthcare & Clinical",
        "Health Disciplines",
        "Nursing",
    ]
    assert got[(patient_care, 0)].source == "implied" and got[(patient_care, 0)].confidence < 0.95
    assert got[(tax.lookup("clinical assessment").code, 0)].source == "implied"
    assert got[(tax.lookup("medication administration").code, 1)].source == "explicit"  # found in the text
    icu = got[(tax.lookup("ICU").code, -1)]
    assert icu.source == "title" and icu.confidence <= 0.5
    assert got[(tax.lookup("Epic").code, 2)].source == "explicit"
    unmapped = [s for s in out.skills if s.code is None]
    assert [(s.name, s.source, s.requirement_index) for s in unmapped] == [("Zorblax", "unmapped", 2)]
    assert check(posting(), out, TAX) == []


def test_rules_dedupe_by_code_and_requirement():
    data = MapSkillsInput(
        title="Developer",
        requirements=[
            RequirementRef(
                index=0, text="Python (Python 3) and python scripting", skill_names=["Python", "python"]
            )
        ],
    )
    out = rules(data, "rules-1", TAX)
    python = store.builtin().lookup("Python").code
    assert [s.code for s in out.skills].count(python) == 1
    assert mapped(out)[(python, 0)].confidence == 0.95


def test_fuzzy_and_phrase_fallbacks():
    data = MapSkillsInput(
        title="Engineer",
        requirements=[
            RequirementRef(index=0, text="see list", skill_names=["Kubernets", "strong Terraform skills"])
        ],
    )
    got = {s.name: s for s in rules(data, "rules-1", TAX).skills}
    assert got["Kubernetes"].source == "fuzzy" and got["Kubernetes"].confidence < 0.8
    assert got["Terraform"].source == "fuzzy"


def test_unknown_ruleset_names_the_known_ones():
    with pytest.raises(ValueError, match="known: rules-1"):
        rules(posting(), "rules-9", TAX)


def test_prompt_lists_requirements_and_candidates():
    prompt = build_prompt(posting(), TAX)
    assert prompt.version == "map_skills/1"
    assert "Posting title: ICU Nurse" in prompt.user
    assert "[1] 3+ years of wound care and medication administration" in prompt.user
    assert f"{store.builtin().lookup('wound care').code} Wound Care" in prompt.user
    assert "implied skills: patient care, clinical assessment" in prompt.user
    assert prompt.hash == build_prompt(posting(), TAX).hash


def test_prompt_requires_its_inputs():
    # No requirement lines is a valid posting (flagged upstream); its title is still mapped.
    assert "Requirements:\n(none)" in build_prompt(MapSkillsInput(title="Nurse", requirements=[]), TAX).user
    with pytest.raises(MissingInput, match="title"):
        build_prompt(MapSkillsInput(title=" ", requirements=posting().requirements), TAX)
    with pytest.raises(MissingInput, match=r"requirements\[4\]\.text"):
        build_prompt(MapSkillsInput(title="Nurse", requirements=[RequirementRef(index=4, text="")]), TAX)


def test_models_are_strict():
    with pytest.raises(ValidationError):
        MappedSkill(name="bad\nname", code=None, requirement_index=0, confidence=0.5, source="unmapped")
    with pytest.raises(ValidationError):
        MappedSkill(name="x", code="1.2", requirement_index=0, confidence=0.5, source="explicit")
    with pytest.raises(ValidationError):
        MappedSkill(name="x", code=None, requirement_index=0, confidence=1.5, source="unmapped")
    with pytest.raises(ValidationError):
        RequirementRef(index=0, text="x", extra="no")


def skill(**kw) -> MappedSkill:
    base = {"name": "Nursing", "code": store.builtin().lookup("Nursing").code, "requirement_index": 0,
            "confidence": 0.9, "source": "explicit"}  # fmt: skip
    return MappedSkill(**{**base, **kw})


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (skill(code="06.01.03.999"), "not in the taxonomy"),
        (skill(requirement_index=7), "requirement_index is not one of [0, 1, 2]"),
        (skill(source="title"), "source 'title' needs requirement_index -1"),
        (skill(name="Python"), "the name is 01.01.01.001, but the code"),
        (
            skill(name="Quantum Knitting", code=None, source="unmapped"),
            "neither in the posting nor in the taxonomy",
        ),
        (skill(source="unmapped"), "source 'unmapped' with code"),
        (skill(code=None), "source 'explicit' without a code"),
        (skill(path=["Somewhere", "Else"]), "is not the taxonomy's"),
    ],
)
def test_check_finds_problems(bad, problem):
    problems = check(posting(), MapSkillsOutput(skills=[bad]), TAX)
    assert any(problem in p for p in problems), problems


def test_check_flags_duplicates_and_accepts_grounded_names():
    ok = skill(name="Zorblax", code=None, source="unmapped", requirement_index=2)
    assert check(posting(), MapSkillsOutput(skills=[ok]), TAX) == []
    twice = check(posting(), MapSkillsOutput(skills=[skill(), skill(confidence=0.5)]), TAX)
    assert any("listed twice" in p for p in twice)
