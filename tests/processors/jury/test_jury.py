from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from infra.engine_factory import EngineCache
from processors.jury import rules
from processors.jury.config import JuryConfig
from processors.jury.convene import convene, jury_of
from processors.jury.models import HelenInput, JuryInput, OscarOutput, RitaOutput, jury_input
from processors.jury.tasks import TASKS
from processors.llm.protocol import LLMRequest, LLMResult
from processors.pipeline.executor import Reusable, ReuseKey
from processors.tasks import REGISTRY
from tests.processors.jury.helpers import borderline_match


def outputs(match_events: list) -> dict[str, dict]:  # type: ignore[type-arg]
    return {d.task: json.loads(d.output) for d in match_events}


def test_rules_jury_on_a_borderline_match() -> None:
    m = borderline_match()
    assert m.recommendation == "Worth a Look"
    decisions = convene([m], EngineCache(tasks=REGISTRY))
    assert [d.task for d in decisions] == ["jury_oscar", "jury_rita", "jury_helen"]
    assert all(d.status == "ok" and d.step == "jury" and d.engine == "rules" for d in decisions)
    out = outputs(decisions)
    # Oscar cites the retrieval pointer by its atom id; the newline in the atom text is gone.
    assert out["jury_oscar"]["points"][0]["evidence"] == ["atom-1"]
    assert "\n" not in json.dumps(out["jury_oscar"])
    gaps = {g["component"]: g for g in out["jury_rita"]["gaps"]}
    assert "6+ years, you have 3" in gaps["fit.experience"]["detail"]
    assert "Kubernetes" in gaps["fit.hard_skills"]["detail"]
    helen = out["jury_helen"]
    assert helen["verdict"] == "apply_address_gap"
    assert any(r.startswith("Oscar:") for r in helen["reasons"])
    assert any(r.startswith("Rita:") for r in helen["reasons"])
    # Helen read the match and both members' decisions.
    oscar, rita, h = decisions
    assert h.input_event_ids == [str(m.meta.event_id), str(oscar.meta.event_id), str(rita.meta.event_id)]
    assert all(d.meta.causation_id == str(m.meta.event_id) for d in decisions)
    assert all(len(d.prompt_hash) == 64 and len(d.input_hash) == 64 for d in decisions)


def test_same_match_same_ids_and_other_engine_other_ids() -> None:
    m = borderline_match()
    first = [d.meta.event_id for d in convene([m], EngineCache(tasks=REGISTRY))]
    assert first == [d.meta.event_id for d in convene([m], EngineCache(tasks=REGISTRY))]
    assert len(set(first)) == 3


def test_unchanged_input_is_reused_not_reconvened() -> None:
    m1, m2 = borderline_match(version=1), borderline_match(version=2)
    assert m1.meta.event_id != m2.meta.event_id
    earlier = {(d.task, d.input_hash): d for d in convene([m1], EngineCache(tasks=REGISTRY))}

    def reuse(keys: list[ReuseKey]) -> dict[ReuseKey, Reusable]:
        hits = {}
        for k in keys:
            d = earlier.get((k.task, k.input_hash))
            if d is not None:
                hits[k] = Reusable(str(d.meta.event_id), json.loads(d.output))
        return hits

    class Refuses:
        name, model = "rules", "jury-rules-1"

        def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
            raise AssertionError("an unchanged match must not reach the engine")

        def close(self) -> None: ...

    again = convene([m2], lambda spec: Refuses(), reuse=reuse)
    assert [d.status for d in again] == ["reused"] * 3
    assert {d.reused_decision_id for d in again} == {str(d.meta.event_id) for d in earlier.values()}


def test_failed_member_fails_helen_and_hallucinated_evidence_is_refused() -> None:
    m = borderline_match()

    class Invents:
        name, model = "openai", "m"

        def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
            bad = {"points": [{"text": "great", "component": "evidence", "evidence": ["atom-404"]}]}
            return [LLMResult(request_id=r.request_id, ok=True, output=bad) for r in requests]

        def close(self) -> None: ...

    config = JuryConfig(oscar="openai:m")
    engines = EngineCache(tasks=REGISTRY)
    decisions = convene([m], lambda spec: Invents() if spec == "openai:m" else engines(spec), config)
    assert [d.status for d in decisions] == ["failed", "ok", "failed"]
    assert "atom-404" in (decisions[0].error or "")


def _inp(**fields: object) -> JuryInput:
    base = jury_input(borderline_match()).model_dump()
    base.update(fields)
    return JuryInput.model_validate(base)


@pytest.mark.parametrize(
    ("fields", "verdict"),
    [
        ({"blocked": True, "fit_total": None}, "skip"),
        ({"fit_total": 35.0}, "skip"),
        (
            {"gaps": [], "warnings": [], "fit_components": {"hard_skills": 90.0}, "practical_components": {}},
            "apply",
        ),
        (
            {
                "gaps": ["Long commute (10%)", "Pay is below your target (5%)"],
                "practical_components": {"location": 0.1, "compensation": 0.05},
            },
            "skip",
        ),
    ],
)
def test_helen_rules(fields: dict[str, object], verdict: str) -> None:
    inp = _inp(**fields)
    hin = HelenInput(match=inp, oscar=rules.oscar(inp, "jury-rules-1"), rita=rules.rita(inp, "jury-rules-1"))
    assert rules.helen(hin, "jury-rules-1").verdict == verdict


def test_rita_numbers_for_practical_gaps() -> None:
    inp = _inp(gaps=["Long commute (30%)"], practical_components={"location": 0.3, "compensation": 0.1})
    gaps = {g.component: g for g in rules.rita(inp, "jury-rules-1").gaps}
    assert gaps["practical.location"].value == 0.3 and not gaps["practical.location"].major
    assert gaps["practical.compensation"].major and "10%" in gaps["practical.compensation"].detail


def test_band_and_unknown_ruleset() -> None:
    m = borderline_match()
    assert jury_of([m], JuryConfig()) == [m]
    assert jury_of([m], JuryConfig(band=("Safe Bet",))) == []
    with pytest.raises(ValueError, match="unknown jury ruleset"):
        rules.oscar(jury_input(m), "rules-1")
    with pytest.raises(ValueError, match="unknown jury role"):
        JuryConfig().with_engines({"bob": "rules:x"})


def test_prompts_are_explicit_and_hashed() -> None:
    inp = jury_input(borderline_match())
    p1 = TASKS["oscar"].build_prompt(inp)
    assert "atom-1" in p1.user and "Oscar" in p1.system
    p2 = TASKS["oscar"].build_prompt(_inp(fit_total=61.0))
    assert p1.hash != p2.hash
    hin = HelenInput(match=inp, oscar=OscarOutput(points=[]), rita=RitaOutput(gaps=[]))
    assert "Rita objects" in TASKS["helen"].build_prompt(hin).user


def test_config_from_a_settings_section() -> None:
    config = JuryConfig.model_validate({"band": ["Safe Bet"], "helen": "openai:qwen3"})
    assert config.band == ("Safe Bet",) and config.engine_for("helen") == "openai:qwen3"
    assert config.engine_for("oscar") == "rules:jury-rules-1"
    with pytest.raises(ValueError, match="ENGINE:MODEL"):
        JuryConfig.model_validate({"rita": "no-colon"})
