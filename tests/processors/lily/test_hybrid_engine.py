"""`rules:hybrid-1` as a pipeline engine: the linker passed in, its identity in the decision's
model and so in the reuse key; without a linker the ruleset fails instead of guessing one."""

from __future__ import annotations

import dataclasses
import json

import pytest

from infra.engine_factory import EngineCache
from infra.engines import bind_hybrid, engine_cache, hybrid_ruleset
from infra.linking_index import default_linker
from processors.linking.linker import Linker
from processors.llm.protocol import EngineSpec
from processors.pipeline.config import PipelineConfig
from processors.pipeline.executor import ReuseKey, execute
from processors.tasks import REGISTRY, tasks_for
from processors.taxonomy import store
from tests.processors.pipeline.fixtures import sample_inputs

HYBRID = EngineSpec.parse("rules:hybrid-1")


@pytest.fixture(scope="module")
def esco_linker() -> Linker:
    return default_linker("esco")


def _cache(linker: Linker) -> EngineCache:
    tasks = tasks_for(store.builtin())
    bound = bind_hybrid(hybrid_ruleset(linker, store.builtin()), tasks)
    return EngineCache(rulesets={"hybrid-1": lambda: bound}, tasks=tasks)


def _lily(linker: Linker) -> list[tuple[str, str, dict]]:
    config = PipelineConfig(engines={"lily": "rules:hybrid-1"})
    (result,) = execute(sample_inputs(1), config, _cache(linker), tasks=REGISTRY)
    assert result.status == "completed", result.work.failed
    return [(d.model, d.input_hash, d.output) for d in result.work.decisions if d.task == "lily"]


def test_a_hybrid_decision_names_its_linker_and_carries_mentions(esco_linker: Linker) -> None:
    decisions = _lily(esco_linker)
    assert decisions
    model = decisions[0][0]
    assert model.startswith("hybrid-1@linker/1:esco-1.2.0#") and ":all-MiniLM-L6-v2:" in model
    assert model.endswith("+rules:builtin#" + model.rsplit("#", 1)[1]) and len(model.rsplit("#", 1)[1]) == 12
    stacks = [s for _m, _h, out in decisions for s in json.loads(out)["proof_stacks"]]
    linked = [s["skill"] for s in stacks if s.get("skill") and s["skill"].get("mention")]
    assert linked and all(s["uri"].startswith("http://data.europa.eu/esco/") for s in linked if s.get("uri"))


def test_another_linker_identity_gives_another_reuse_key_for_the_same_line(esco_linker: Linker) -> None:
    # Same embedder and matrix, another taxonomy content: ESCO with one skill renamed.
    tax = esco_linker.taxonomy
    code = sorted(tax.skills)[0]
    renamed = {**tax.skills, code: dataclasses.replace(tax.skills[code], name="renamed skill")}
    other_tax = type(tax)(renamed, tax.categories, tax.edges, tax.source, tax.occupations)
    other = Linker(other_tax, esco_linker.vectors, esco_linker.embedder)
    first, second = hybrid_ruleset(esco_linker, store.builtin()), hybrid_ruleset(other, store.builtin())
    assert first.identity != second.identity
    assert _cache(esco_linker).recorded_model(HYBRID) == first.identity
    a, b = _lily(esco_linker), _lily(other)
    assert [h for _m, h, _o in a] == [h for _m, h, _o in b]  # same lines, same input
    keys_a = {ReuseKey("lily", h, "rules", m, "") for m, h, _o in a}
    keys_b = {ReuseKey("lily", h, "rules", m, "") for m, h, _o in b}
    assert not keys_a & keys_b


def test_rules_1_records_its_plain_name_and_hybrid_without_a_linker_fails() -> None:
    cache = engine_cache(None, store.builtin())
    assert cache.recorded_model(EngineSpec.parse("rules:rules-1")) == "rules-1"
    plain = EngineCache(tasks=REGISTRY)  # no ruleset bound: hybrid-1 is not guessed from a global
    config = PipelineConfig(engines={"lily": "rules:hybrid-1"})
    (result,) = execute(sample_inputs(1), config, plain, tasks=REGISTRY)
    lily = [d for d in result.work.decisions if d.task == "lily"]
    assert lily and all(d.status == "failed" and "needs a skill linker" in (d.error or "") for d in lily)


def test_lily_decompose_with_hybrid_1_gives_the_pipelines_stacks(esco_linker: Linker) -> None:
    from typer.testing import CliRunner

    from infra.cli.app import app

    result = CliRunner().invoke(
        app, ["lily", "decompose", "--ruleset", "hybrid-1", "--json"], input="Proficiency in Go or Python\n"
    )
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    (stack,) = row["proof_stacks"]
    assert stack["skill"]["name"] == "Go" and stack["skill"]["mention"] == {
        "text": "Go",
        "start": 15,
        "end": 17,
    }
    assert [a["name"] for a in stack["alternatives"]] == ["Python (computer programming)"]
    refused = CliRunner().invoke(app, ["lily", "decompose", "--ruleset", "hybrid-9"], input="Go\n")
    assert refused.exit_code == 2 and "hybrid-1" in refused.output
