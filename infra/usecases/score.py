"""Score one profile against one posting, no stack needed (`turing score`).

A raw posting is derived in-process with the configured pipeline engines: the same executor
and engines as the worker, without the log, so nothing is emitted and the derivation is a
preview, not a version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from infra.engines import engine_cache
from processors.intake.validate import validate
from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import reprocess_command
from processors.pipeline.executor import execute
from processors.pipeline.work import PostingState, RunInput
from processors.scoring.config import DEFAULT
from processors.scoring.from_posting import derived_posting
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.result import ScoreResult
from processors.scoring.score import score
from processors.taxonomy.model import Taxonomy
from schemas.models import Producer, now_utc

CLI = Producer(component="turing-score", version="1")


def derive_with_pipeline(raw: dict[str, Any], config: PipelineConfig, taxonomy: Taxonomy) -> DerivedPosting:
    """Raises ValueError naming the bad fields, or the step that failed and why."""
    posting_id, content, errors = validate({"source": "file", **raw})
    if content is None or posting_id is None:
        raise ValueError("; ".join(str(e) for e in errors))
    command = reprocess_command(
        posting_id, start_step="extract_summary", overrides={}, reason="turing score", requested_by="cli",
        priority=0, producer=CLI,
    )  # fmt: skip
    state = PostingState(posting_id, "preview", content, "open", now_utc())
    engines = engine_cache(config.engine_options, taxonomy)
    try:
        (result,) = execute(
            [RunInput(command=command, posting=state, prior=None, next_version=1)],
            config,
            engines,
            tasks=engines.tasks,
        )
    finally:
        engines.close()
    work = result.work
    if work.failed:
        raise ValueError(
            f"the pipeline could not derive this posting at step {work.failed_step}: {work.failed}"
        )
    return derived_posting(
        posting_id,
        content,
        work.decompositions,
        work.ghost.ghost_score if work.ghost else None,
        taxonomy,
        extra=raw,
    )


def score_match(
    profile: Profile, posting: DerivedPosting, *, taxonomy: Taxonomy, baseline: bool = False, as_of: date
) -> ScoreResult:
    """Fit, stretch and practical fit, explained, with suggestions; `baseline`: the seeds' formulas only."""
    config = DEFAULT.model_copy(update={"as_of": as_of})
    return score(profile, posting, config.baseline() if baseline else config, taxonomy=taxonomy)
