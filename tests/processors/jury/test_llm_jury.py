"""An LLM jury through the OpenAI-compatible engine (a FAKE server answers from a script): the
explicit prompts reach the model as written, outputs are validated, tokens and latency recorded."""

from __future__ import annotations

import json

from infra.engine_factory import EngineCache
from processors.jury.config import JuryConfig
from processors.jury.convene import convene
from processors.jury.models import jury_input
from processors.jury.tasks import TASKS
from processors.tasks import REGISTRY
from tests.processors.jury.helpers import borderline_match
from tests.processors.llm.fake_openai import FakeOpenAIServer, Reply

OSCAR = {
    "points": [{"text": "Python is backed by payments work", "component": "evidence", "evidence": ["atom-1"]}]
}
RITA = {
    "gaps": [
        {"component": "fit.experience", "value": 55.0, "detail": "6 years asked, 3 held", "major": False}
    ]
}
HELEN = {
    "verdict": "apply_address_gap",
    "reasons": ["Oscar: evidence", "Rita: years"],
    "addresses": ["fit.experience"],
}


def test_an_llm_jury_sees_the_explicit_prompts_and_its_answers_are_recorded() -> None:
    m = borderline_match()
    spec = "openai:fake-jury"
    with FakeOpenAIServer([Reply.json(OSCAR), Reply.json(RITA), Reply.json(HELEN)]) as fake:
        engines = EngineCache(
            {"openai": {"base_url": fake.base_url, "timeout_s": 5.0, "max_retries": 0}}, tasks=REGISTRY
        )
        try:
            decisions = convene([m], engines, JuryConfig(oscar=spec, rita=spec, helen=spec))
        finally:
            engines.close()
        sent = fake.requests
    assert [d.status for d in decisions] == ["ok", "ok", "ok"], [d.error for d in decisions]
    assert [json.loads(d.output) for d in decisions] == [OSCAR, RITA, HELEN]
    assert all(d.engine == "openai" and d.model == "fake-jury" and d.tokens_in > 0 for d in decisions)
    prompt = TASKS["oscar"].build_prompt(jury_input(m))
    assert sent[0]["messages"] == [{"role": "system", "content": prompt.system},
                                   {"role": "user", "content": prompt.user}]  # fmt: skip
    assert decisions[0].prompt_hash == prompt.hash and decisions[0].prompt_version == "jury-oscar-1"
    assert "Oscar argues" in sent[2]["messages"][-1]["content"]  # Helen read both members' answers
