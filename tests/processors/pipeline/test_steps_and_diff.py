from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from processors.lily.model import Decomposition, ProofStack, SkillLayer
from processors.pipeline.config import PipelineConfig
from processors.pipeline.diff import diff
from processors.pipeline.phases import Ask, Outcome, _role_apply
from processors.pipeline.steps import STEP_TASKS, check_step, parse_overrides
from processors.pipeline.work import PriorDerivation


def test_overrides_by_step_expand_to_its_tasks_and_bad_ones_are_explained() -> None:
    assert parse_overrides(["red_flags=openai:qwen2.5-7b"]) == {
        t: "openai:qwen2.5-7b" for t in STEP_TASKS["red_flags"]
    }
    assert parse_overrides(["lily.validator=rules:rules-broad"]) == {"lily.validator": "rules:rules-broad"}
    with pytest.raises(ValueError, match="STEP=ENGINE:MODEL"):
        parse_overrides(["lily"])
    with pytest.raises(ValueError, match="unknown step or task 'lilly'"):
        parse_overrides(["lilly=rules:x"])
    with pytest.raises(ValueError, match="ENGINE:MODEL"):
        parse_overrides(["lily=rules"])
    with pytest.raises(ValueError, match="unknown start step"):
        check_step("complete_run")


def test_command_overrides_win_over_configuration() -> None:
    config = PipelineConfig(engines={"lily": "openai:qwen"}, default_engine="rules:rules-1")
    chosen = config.effective({"lily": "rules:rules-broad"})
    assert chosen["lily"] == "rules:rules-broad" and chosen["extract_summary"] == "rules:rules-1"
    with pytest.raises(ValueError, match="unknown task"):
        PipelineConfig(engines={"nope": "rules:x"})


def _prior(version: int, reqs: list[dict], summary: str = "s") -> PriorDerivation:
    return PriorDerivation(
        version=version, event_id=f"e{version}", posting_event_id="p", summary=summary, culture_text="",
        requirements=reqs, responsibilities=[], skills=[], red_flags={}, ihl_score=0.1, red_flag_category="genuine",
        ghost_score=10.0, decision_ids=[],
    )  # fmt: skip


def test_diff_reports_layer_changes_but_not_confidence_jitter() -> None:
    a = _prior(
        1,
        [
            {
                "index": 0,
                "text": "RN required",
                "proof_stacks": [
                    {"skill": None, "certification": {"name": "RN", "kind": "licence", "confidence": 0.9}}
                ],
            }
        ],
    )
    b = _prior(
        2,
        [
            {
                "index": 0,
                "text": "RN required",
                "proof_stacks": [
                    {
                        "skill": {"name": "Nursing", "code": None, "confidence": 0.7},
                        "certification": {"name": "RN", "kind": "licence", "confidence": 0.5},
                    }
                ],
            }
        ],
        summary="t",
    )
    changes = diff(a, b)["changes"]
    fields = [c["field"] for c in changes]
    assert fields == ["summary", "requirements[0].skill"]
    assert changes[1]["to"] == {"name": "Nursing", "code": None}


@given(st.lists(st.text(min_size=1, max_size=20), max_size=5))
def test_a_derivation_never_differs_from_itself(texts: list[str]) -> None:
    reqs = [{"index": i, "text": t, "proof_stacks": [{}]} for i, t in enumerate(texts)]
    assert diff(_prior(1, reqs), _prior(1, reqs))["changes"] == []


def test_validator_disagreement_lowers_confidence_and_flags_the_line() -> None:
    from processors.lily.task import LilyInput
    from processors.pipeline.work import RunWork
    from tests.processors.pipeline.fixtures import sample_inputs

    w = RunWork(input=sample_inputs(1)[0], run_id="r", engines={}, start_step="extract_summary")
    mine = ProofStack(skill=SkillLayer(name="Python", confidence=0.9), parse_confidence=0.8)
    w.requirements = ["Python"]
    w.decompositions = [Decomposition(text="Python", proof_stacks=[mine])]
    other = Decomposition(
        text="Python",
        proof_stacks=[ProofStack(skill=SkillLayer(name="Java", confidence=0.9), parse_confidence=0.8)],
    )
    _role_apply(w, Outcome(Ask("lily", LilyInput(text="Python"), 0, "validator"), "d", other))
    stack = w.decompositions[0].proof_stacks[0]
    assert "VALIDATOR_DISAGREES" in stack.flags and stack.parse_confidence == pytest.approx(0.56)
