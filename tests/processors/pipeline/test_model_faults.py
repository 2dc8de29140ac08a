"""Model faults through real engines: the OpenAI engine against a scripted FAKE server, and the
transformers engine with a tiny random model. Bad output becomes failed or rejected decisions,
is retried, and is never projected as valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.engine_factory import build_engine
from processors.lily.model import Decomposition
from processors.lily.task import TASK as LILY
from processors.lily.task import LilyInput
from processors.llm.protocol import Engine, EngineSpec
from processors.pipeline.config import PipelineConfig
from processors.pipeline.executor import execute
from processors.tasks import REGISTRY
from schemas.models import DerivationEvent
from tests.processors.llm.fake_openai import FakeOpenAIServer, Reply
from tests.processors.pipeline.fixtures import sample_inputs

SUMMARY = {"summary": "We are hiring."}


def _engines(options: dict[str, dict]) -> object:
    cache: dict[str, Engine] = {}

    def get(spec: str) -> Engine:
        if spec not in cache:
            parsed = EngineSpec.parse(spec)
            cache[spec] = build_engine(parsed, options.get(parsed.engine), task_lookup=REGISTRY)
        return cache[spec]

    return get


def test_http_500_timeout_and_malformed_output_are_retried_until_a_valid_answer() -> None:
    posting = sample_inputs(1)
    # The summary must be grounded: quote the posting's own first sentence.
    first = posting[0].posting.content.description.split("\n")[0].strip()
    script = [
        Reply.error(500),
        Reply.json(SUMMARY, delay_s=1.5),
        Reply.text("{not json"),
        Reply.json({"summary": first}),
    ]
    with FakeOpenAIServer(script) as server:
        options = {
            "openai": {"base_url": server.base_url, "timeout_s": 0.5, "max_retries": 3, "backoff_s": 0.01}
        }
        config = PipelineConfig(engines={"extract_summary": "openai:fake-model"})
        r = execute(posting, config, _engines(options), tasks=REGISTRY)[0]
    decision = next(d for d in r.work.decisions if d.task == "extract_summary")
    assert decision.status == "ok" and decision.engine == "openai" and decision.model == "fake-model"
    assert decision.attempts == 1 and json.loads(decision.output) == {"summary": first}
    assert len(server.requests) == 4
    body = server.requests[0]
    assert body["structured_outputs"]["json"]["title"] == "SummaryOutput"


def test_persistent_schema_invalid_output_fails_the_run_and_nothing_is_derived() -> None:
    with FakeOpenAIServer(default=Reply.json({"summary": 7})) as server:
        options = {"openai": {"base_url": server.base_url, "max_retries": 1, "backoff_s": 0.01}}
        config = PipelineConfig(engines={"extract_summary": "openai:fake-model"}, retries=1)
        results = execute(sample_inputs(2), config, _engines(options), tasks=REGISTRY)
    for r in results:
        assert r.status == "failed" and r.work.failed_step == "extract_summary"
        failed = [d for d in r.work.decisions if d.task == "extract_summary"]
        assert [d.status for d in failed] == ["failed", "failed"]
        assert all("schema-invalid" in (d.error or "") for d in failed)
        assert not any(isinstance(e, DerivationEvent) for e in r.events)


def test_a_hallucinated_skill_from_the_endpoint_is_rejected_and_flagged() -> None:
    stack = {"skill": {"name": "Underwater Welding", "confidence": 0.9}, "parse_confidence": 0.9}
    with FakeOpenAIServer(default=Reply.json({"text": "x", "proof_stacks": [stack]})) as server:
        options = {"openai": {"base_url": server.base_url, "max_retries": 0}}
        config = PipelineConfig(engines={"lily": "openai:fake-model"}, retries=1)
        r = execute(sample_inputs(1), config, _engines(options), tasks=REGISTRY)[0]
    assert r.status == "completed"
    lily = [d for d in r.work.decisions if d.task == "lily"]
    assert len(lily) == 2 * len(r.work.requirements)  # first attempt and one retry per line
    assert all(d.status == "rejected" and "not in the text" in (d.error or "") for d in lily)
    derivation = r.events[-2]
    assert isinstance(derivation, DerivationEvent)
    assert "Underwater Welding" not in derivation.requirements


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.ray_jobs.engines.test_transformers_engine import _build_tiny_model

    directory = tmp_path_factory.mktemp("tiny-lily")
    _build_tiny_model(directory)
    return directory


def test_a_random_model_through_the_transformers_engine_never_projects_ungrounded_stacks(
    tiny_model: Path,
) -> None:
    inputs = sample_inputs(1)
    options = {"transformers": {"max_new_tokens": 160}}
    config = PipelineConfig(engines={"lily": f"transformers:{tiny_model}"}, retries=0)
    r = execute(inputs, config, _engines(options), tasks=REGISTRY)[0]
    assert r.status == "completed"
    lily = [d for d in r.work.decisions if d.task == "lily"]
    assert lily and all(d.engine == "transformers" and d.tokens_out > 0 for d in lily)
    for i, d in enumerate(lily):
        if d.status == "ok":
            # whatever a random model wrote and passed, it claims nothing the line does not contain
            out = Decomposition.model_validate_json(d.output)
            assert LILY.check(LilyInput(text=r.work.requirements[i]), out) == []
        else:
            assert d.status in ("failed", "rejected") and d.error
            stacks = r.work.decompositions[i].proof_stacks
            assert all(s.skill is None and s.certification is None and s.flags for s in stacks)
