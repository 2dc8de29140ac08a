"""hybrid-1's experience context ("investment banking", "side project") survives the typed v4 event."""

from __future__ import annotations

from processors.lily.model import Decomposition, ExperienceLayer, ProofStack
from processors.pipeline.config import PipelineConfig
from processors.pipeline.executor import execute
from processors.pipeline.payload import requirement_lines, requirements_json
from processors.tasks import REGISTRY
from schemas import catalog, wire
from schemas.models import DerivationEvent
from tests.processors.pipeline.fixtures import Engines, sample_inputs


def test_an_experience_context_reads_back_from_the_wire() -> None:
    stack = ProofStack(
        experience=ExperienceLayer(
            value=10, unit="years", op=">=", context="investment banking", confidence=0.9
        ),
        parse_confidence=0.6,
    )
    line = Decomposition(text="Minimum of 10 years in investment banking", proof_stacks=[stack])
    first = next(iter(execute(sample_inputs(), PipelineConfig(), Engines(), tasks=REGISTRY)))
    event = first.events[-2]
    assert isinstance(event, DerivationEvent)
    event = event.model_copy(update={"requirement_lines": requirement_lines([line], [None])})
    data = wire.frame(1, catalog.parsed("derivations"), event.to_avro())
    back = DerivationEvent.model_validate(wire.unframe(data, catalog.parsed("derivations")))
    (row,) = requirements_json(back)
    assert row["proof_stacks"] == [stack.model_dump(mode="json")]
    assert row["proof_stacks"][0]["experience"]["context"] == "investment banking"


def test_a_stack_without_context_dumps_as_it_did() -> None:
    stack = ProofStack(
        experience=ExperienceLayer(value=3, unit="years", op="==", confidence=0.9), parse_confidence=0.5
    )
    assert "context" not in stack.model_dump(mode="json")["experience"]
