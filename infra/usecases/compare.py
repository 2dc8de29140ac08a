"""Compare two derivation versions of a posting: what changed, and the models and reason behind each."""

from __future__ import annotations

from typing import Any

from infra.context import Context
from processors.pipeline.diff import diff
from projections.read import pipeline as pipeline_reads
from schemas.errors import NotFound


def compare_versions(ctx: Context, posting_id: str, older: int | None, newer: int | None) -> dict[str, Any]:
    """`diff` of version `older` (default: the one before `newer`) and `newer` (default: in force),
    with each side's engine config and the newer one's reason. NotFound when there is nothing older."""
    ctx.catch_up()
    dsn = ctx.endpoints.dsn
    b = pipeline_reads.derivation(dsn, posting_id, newer, ctx.schema)
    before = older if older is not None else b.version - 1
    if before < 1:
        raise NotFound(f"posting {posting_id!r} has only version {b.version}: nothing to compare")
    a = pipeline_reads.derivation(dsn, posting_id, before, ctx.schema)
    info = pipeline_reads.versions(dsn, posting_id, ctx.schema)
    result = diff(a, b)
    configs = {v["version"]: v for v in info["versions"]}
    result["from_models"] = configs.get(a.version, {}).get("engine_config")
    result["to_models"] = configs.get(b.version, {}).get("engine_config")
    result["to_reason"] = configs.get(b.version, {}).get("reason")
    return result
