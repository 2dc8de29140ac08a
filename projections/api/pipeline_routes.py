"""HTTP reads of the pipeline's projections: derivations, runs, requirement queries."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, HTTPException, Query

from projections import pipeline_reads


def pipeline_router(dsn: str) -> APIRouter:
    router = APIRouter()

    @router.get("/postings/{posting_id}/derivation", tags=["pipeline"])
    def derivation(posting_id: str, version: int | None = None) -> dict[str, Any]:
        """The derivation in force (or `version`): summary, requirements with proof stacks, red flags."""
        try:
            d = pipeline_reads.derivation(dsn, posting_id, version)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        return dataclasses.asdict(d)

    @router.get("/postings/{posting_id}/derivations", tags=["pipeline"])
    def versions(posting_id: str) -> dict[str, Any]:
        """Every version with the run, reason and models that made it, and which one is in force."""
        return pipeline_reads.versions(dsn, posting_id)

    @router.get("/runs", tags=["pipeline"])
    def runs(
        reason: str | None = None,
        status: str | None = None,
        posting_id: str | None = None,
        limit: int = Query(100, ge=1, le=10_000),
    ) -> list[dict[str, Any]]:
        return pipeline_reads.list_runs(dsn, reason=reason, status=status, posting_id=posting_id, limit=limit)

    @router.get("/requirements", tags=["pipeline"])
    def requirements(
        certification: str | None = None,
        kind: str | None = Query(None, description="degree, licence, certificate or clearance"),
        min_years: float | None = None,
        skill_code: str | None = None,
    ) -> list[dict[str, Any]]:
        """Seed 000's questions (postings requiring certification X, at least N years), from the index."""
        try:
            return pipeline_reads.requiring(
                dsn, certification=certification, kind=kind, min_years=min_years, skill_code=skill_code
            )
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc

    return router
