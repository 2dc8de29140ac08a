"""Run inputs built from the sample postings, and engines for the executor tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from infra.engine_factory import build_engine
from processors.intake.changes import plan
from processors.intake.records import read_records
from processors.llm.protocol import Engine, EngineSpec, LLMRequest, LLMResult
from processors.llm.tasks import TaskLookup
from processors.pipeline.events import command_for_posting
from processors.pipeline.work import PostingState, RunInput
from processors.tasks import REGISTRY
from schemas.models import PostingContent, PostingEvent, Producer, now_utc

SAMPLES = Path(__file__).resolve().parents[3] / "sample_data"


def sample_inputs(limit: int | None = None) -> list[RunInput]:
    data = (SAMPLES / "postings.jsonl").read_bytes()
    result = plan(
        read_records("postings.jsonl", data), {}, Producer(component="tests", version="1"), now_utc()
    )
    events = [e for e in result.events if isinstance(e, PostingEvent)][:limit]
    return [run_input(e) for e in events]


def run_input(event: PostingEvent, prior=None, next_version: int = 1, command=None) -> RunInput:  # type: ignore[no-untyped-def]
    cmd = command or command_for_posting(event)
    assert cmd is not None and event.content is not None
    state = PostingState(
        event.posting_id, str(event.meta.event_id), event.content, "open", event.meta.occurred_at
    )
    return RunInput(command=cmd, posting=state, prior=prior, next_version=next_version)


def with_content(inp: RunInput, **changes: object) -> RunInput:
    assert inp.posting is not None
    content = PostingContent.model_validate({**inp.posting.content.model_dump(), **changes})
    posting = PostingState(
        inp.posting.posting_id, inp.posting.event_id, content, "open", inp.posting.first_seen_at
    )
    return RunInput(command=inp.command, posting=posting, prior=inp.prior, next_version=inp.next_version)


class Engines:
    """Real engines by spec, counting the calls (one call = one batch); `tasks` as the wiring
    layer builds them for a taxonomy (default: the registry's, the built-in taxonomy)."""

    def __init__(self, extra: dict[str, Engine] | None = None, tasks: TaskLookup = REGISTRY):
        self.cache: dict[str, Engine] = dict(extra or {})
        self.calls: list[tuple[str, str, int]] = []
        self.tasks = tasks

    def __call__(self, spec: str) -> Engine:
        if spec not in self.cache:
            self.cache[spec] = build_engine(EngineSpec.parse(spec), task_lookup=self.tasks)
        engine = self.cache[spec]
        outer = self

        class Counting:
            name, model = engine.name, engine.model

            def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
                outer.calls.append((spec, requests[0].task, len(requests)))
                return engine.generate(requests)

            def close(self) -> None:
                engine.close()

        return Counting()


class ScriptedFakeLLM:
    """A FAKE model (no GPU LLM can run here): answers each task with scripted raw text."""

    name = "openai"
    model = "fake-llm"

    def __init__(self, answers: dict[str, str], fallback: Engine):
        self.answers = answers
        self.fallback = fallback

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        from processors.llm.output_parsing import parse_output

        out = []
        for r in requests:
            if r.task not in self.answers:
                out.extend(self.fallback.generate([r]))
                continue
            raw = self.answers[r.task]
            parsed = parse_output(raw, r.task, REGISTRY)
            out.append(
                LLMResult(
                    request_id=r.request_id, ok=parsed.ok, output=parsed.output, raw=raw, error=parsed.error
                )
            )
        return out

    def close(self) -> None:
        pass
