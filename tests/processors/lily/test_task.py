import pytest
from pydantic import ValidationError

from processors.lily.model import (
    CertificationLayer,
    Decomposition,
    ExperienceLayer,
    ProofStack,
    SkillLayer,
)
from processors.lily.rules import decompose
from processors.lily.task import PROMPT_VERSION, TASK, LilyInput, build_prompt, grounding_problems, task_for
from processors.llm.tasks import MissingInput
from processors.taxonomy.model import Skill, Taxonomy
from processors.taxonomy.store import builtin
from tests.processors.lily.sample_taxonomy import sample_taxonomy

TAX = sample_taxonomy()


def stack(**layers):
    return ProofStack(parse_confidence=0.8, **layers)


def test_task_registration():
    assert TASK.name == "lily"
    assert TASK.input_model is LilyInput and TASK.output_model is Decomposition
    assert TASK.prompt_version == PROMPT_VERSION == "lily/1"
    assert TASK.rules is not None


def test_input_is_frozen_and_strict():
    data = LilyInput(text="RN required")
    assert data.title == "" and data.neighbours == []
    with pytest.raises(ValidationError):
        LilyInput(text="x", colour="blue")
    with pytest.raises(ValidationError):
        data.text = "y"


def test_prompt_has_preamble_and_data():
    prompt = build_prompt(
        LilyInput(text="5+ years Python", title="Backend Engineer", neighbours=["SQL", " "])
    )
    assert "SECT" in prompt.system and "fired" in prompt.system and "NEEDS_CONTEXT" in prompt.system
    assert "5+ years Python" in prompt.user and "Backend Engineer" in prompt.user and "- SQL" in prompt.user
    assert prompt.version == "lily/1"
    assert build_prompt(LilyInput(text="Python")).hash != build_prompt(LilyInput(text="Java")).hash


def test_prompt_requires_text():
    with pytest.raises(MissingInput, match="requirement text"):
        build_prompt(LilyInput(text="   "))


def test_rules_output_is_grounded():
    for text in [
        "RN required",
        "Two to three years of Java",
        "MBA preferred",
        "5 years managing $500M+ portfolios",
        "Bachelor's degree in Computer Science",
        "Over a decade of software engineering experience",
    ]:
        out = Decomposition(text=text, proof_stacks=decompose(text, TAX))
        assert grounding_problems(LilyInput(text=text), out, TAX) == [], text


def test_check_finds_invented_names_and_numbers():
    data = LilyInput(text="5 years Python")
    out = Decomposition(
        text=data.text,
        proof_stacks=[
            stack(
                skill=SkillLayer(name="Haskell", confidence=0.9),
                experience=ExperienceLayer(value=7, unit="years", op="==", confidence=0.9),
                certification=CertificationLayer(name="PMP", kind="certificate", confidence=0.9),
            )
        ],
    )
    problems = grounding_problems(data, out, TAX)
    assert len(problems) == 3
    assert any("Haskell" in p for p in problems) and any("PMP" in p for p in problems)
    assert any("7" in p for p in problems)


def test_check_accepts_synonyms_and_words():
    data = LilyInput(text="seven years of Golang")
    out = Decomposition(
        text=data.text,
        proof_stacks=[
            stack(
                skill=SkillLayer(name="Go", confidence=0.9),
                experience=ExperienceLayer(value=7, unit="years", op="==", confidence=0.9),
            )
        ],
    )
    assert grounding_problems(data, out, TAX) == []


def test_check_allows_title_only_for_needs_context():
    data = LilyInput(text="3 years relevant experience", title="Java Developer")
    java = SkillLayer(name="Java", confidence=0.5)
    flagged = Decomposition(text=data.text, proof_stacks=[stack(skill=java, flags=["NEEDS_CONTEXT"])])
    unflagged = Decomposition(text=data.text, proof_stacks=[stack(skill=java)])
    assert grounding_problems(data, flagged, TAX) == []
    assert grounding_problems(data, unflagged, TAX) != []


def test_check_rejects_empty_output():
    assert grounding_problems(LilyInput(text="x"), Decomposition(text="x", proof_stacks=[]), TAX) == [
        "no proof stacks"
    ]


def test_rules_with_the_builtin_taxonomy():
    assert TASK.taxonomy == builtin().identity
    out = TASK.rules(LilyInput(text="RN required"), "rules-1")
    assert out.proof_stacks[0].certification.kind == "licence"
    assert TASK.check(LilyInput(text="RN required"), out) == []


def test_the_task_reads_the_taxonomy_it_is_built_for():
    line = LilyInput(text="5 years of Zorblax programming")
    assert TASK.rules is not None
    assert all(s.skill is None or s.skill.name != "Zorblax" for s in TASK.rules(line, "rules-1").proof_stacks)
    zorblax = Taxonomy.from_skills([Skill("01.01.01.001", "Zorblax")], source="zorblax")
    task = task_for(zorblax)
    assert task.taxonomy == zorblax.identity and task.rules is not None
    out = task.rules(line, "rules-1")
    assert [s.skill.code for s in out.proof_stacks if s.skill] == ["01.01.01.001"]
    assert task.check(line, out) == []
