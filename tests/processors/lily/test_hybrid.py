"""Lily `hybrid-1`: S from the ESCO linker with mentions, E/C/T from rules-1, alternatives, levels."""

from __future__ import annotations

import pytest

from infra.linking_index import default_linker
from processors.lily import hybrid, rules
from processors.linking.linker import Linker
from processors.taxonomy import store


@pytest.fixture(scope="module")
def linker() -> Linker:
    return default_linker("esco")


def decompose(line: str, linker: Linker, title: str = "") -> list[hybrid.HybridStack]:
    return hybrid.decompose(line, linker, store.builtin(), title=title)


def test_the_skill_is_an_esco_skill_with_its_mention_and_rules_1_keeps_the_duration(linker):
    line = "5+ years of Python development experience"
    (stack,) = decompose(line, linker)
    assert stack.skill is not None and stack.skill.name == "Python (computer programming)"
    assert stack.skill.uri.startswith("http://data.europa.eu/esco/skill/")
    m = stack.skill.mention
    assert m is not None and line[m.start : m.end] == "Python"
    assert stack.experience is not None and stack.experience.value == 5 and stack.experience.op == ">="


def test_or_makes_one_requirement_with_alternatives(linker):
    stacks = decompose("Proficiency in Go or Python", linker)
    assert len(stacks) == 1
    names = [stacks[0].skill.name, *(a.name for a in stacks[0].alternatives)]  # type: ignore[union-attr]
    assert names == ["Go", "Python (computer programming)"]


def test_a_language_carries_its_level(linker):
    (stack,) = decompose("French at C1 level", linker)
    assert stack.skill is not None and stack.skill.name == "French" and stack.skill.level == "C1"
    (fluent,) = decompose("Fluent German required", linker)
    assert fluent.skill is not None and fluent.skill.level == "fluent"


def test_a_credential_is_c_and_its_words_are_not_linked_again(linker):
    stacks = decompose("Certified ScrumMaster (CSM) is a plus", linker)
    creds = [s for s in stacks if s.certification is not None]
    assert any(s.certification.name == "Certified ScrumMaster (CSM)" for s in creds)  # type: ignore[union-attr]
    assert all(s.requirement_strength == "nice_to_have" for s in stacks)
    codes = [s.skill.code for s in stacks if s.skill is not None]
    assert len(codes) == len(set(codes))


def test_relevant_experience_is_enriched_from_the_title_occupation_and_stays_flagged(linker):
    (stack,) = decompose("5 years of relevant experience", linker, title="software developer")
    assert "NEEDS_CONTEXT" in stack.flags and stack.skill is not None
    job = linker.taxonomy.occupation("software developer")
    assert job is not None and stack.skill.code in job.essential and stack.skill.confidence <= 0.5
    (unknown,) = decompose("5 years of relevant experience", linker, title="Chief Vibes Officer")
    assert "NEEDS_CONTEXT" in unknown.flags and unknown.skill is None


def test_rules_1_output_is_untouched_by_hybrid(linker):
    line = "Strong SQL and Tableau skills; Excel preferred"
    before = [s.model_dump() for s in rules.decompose(line, store.builtin(), ruleset="rules-1")]
    decompose(line, linker)
    assert [s.model_dump() for s in rules.decompose(line, store.builtin(), ruleset="rules-1")] == before


def test_a_batch_gives_what_single_lines_give(linker):
    lines = ["Strong SQL and Tableau skills; Excel preferred", "Experience managing staff"]
    batch = hybrid.decompose_many(lines, linker, store.builtin())
    single = [
        hybrid.decompose(x, linker, store.builtin(), neighbours=[lines[1 - i]]) for i, x in enumerate(lines)
    ]
    assert [[s.skill.name for s in b if s.skill] for b in batch] == [
        [s.skill.name for s in b if s.skill] for b in single
    ]
    assert batch[1][0].skill is not None and batch[1][0].skill.name == "manage staff"


def test_a_comma_list_is_alternatives_only_when_its_skills_run_to_an_or(linker):
    (listed,) = [s for s in decompose("Experience with Java, Kotlin or Scala", linker) if s.skill]
    names = [listed.skill.name, *(a.name for a in listed.alternatives)]  # type: ignore[union-attr]
    assert len(names) == 3 and names[0].startswith("Java")
    stacks = decompose("Nice to have: Kafka, Terraform, experience in retail or e-commerce", linker)
    by_name = {s.skill.name: s for s in stacks if s.skill is not None}
    kafka = next(s for n, s in by_name.items() if n.startswith("Apache Kafka") or n == "Kafka")
    assert not any("Terraform" in a.name for a in kafka.alternatives)


def test_a_list_of_skills_ending_in_or_and_other_words_is_still_one_choice(linker):
    (first, *_) = [s for s in decompose("SRE, DevOps or Platform Engineering background", linker) if s.skill]
    assert [a.name for a in first.alternatives] == ["DevOps"]
    assert all(not s.alternatives for s in decompose("Python, SQL and Excel", linker))


def test_a_mention_is_the_phrase_that_names_the_skill(linker):
    line = "Excellent communication skills"
    (stack,) = decompose(line, linker)
    assert stack.skill is not None and stack.skill.mention is not None
    assert stack.skill.mention.text == "communication skills"
    assert line[stack.skill.mention.start : stack.skill.mention.end] == "communication skills"
