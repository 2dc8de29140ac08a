"""A posting that states no requirements is a valid, flagged result, not a failed run (item 6)."""

from __future__ import annotations

import json

from processors.pipeline.config import PipelineConfig
from processors.pipeline.executor import execute
from processors.pipeline.payload import requirements_json, skills_json
from processors.tasks import REGISTRY
from schemas.models import DerivationEvent
from tests.processors.pipeline.fixtures import Engines, sample_inputs, with_content

NO_REQUIREMENTS = "Acme is a friendly company in Lisbon. We like coffee and long walks on the beach."


def test_no_requirement_lines_complete_with_an_empty_flagged_list() -> None:
    plain, other = sample_inputs(2)
    inputs = [with_content(plain, description=NO_REQUIREMENTS), other]
    results = execute(inputs, PipelineConfig(), Engines(), tasks=REGISTRY)
    assert [r.status for r in results] == ["completed", "completed"]
    result = results[0]
    (extract,) = [d for d in result.work.decisions if d.task == "extract_requirements"]
    assert extract.status == "ok" and extract.flags == ["NO_REQUIREMENTS"]
    assert json.loads(extract.output)["requirements"] == []
    (mapped,) = [d for d in result.work.decisions if d.task == "map_skills"]
    assert mapped.status == "ok"
    assert not [d for d in result.work.decisions if d.task == "lily"]
    derivation = result.events[-2]
    assert isinstance(derivation, DerivationEvent) and requirements_json(derivation) == []
    # The title is still mapped, so the matcher has something to go on.
    assert {s["requirement_index"] for s in skills_json(derivation)} <= {-1}
    # A posting with requirement lines is not flagged.
    (theirs,) = [d for d in results[1].work.decisions if d.task == "extract_requirements"]
    assert theirs.flags == [] and json.loads(theirs.output)["requirements"]
