"""HTTP reads of the pipeline's projections: derivations, runs, requirement queries."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from infra.api import problems
from infra.api.auth import authenticator
from infra.api.paging import MAX_OFFSET, Page, PageRequest, page, page_params
from infra.api.pipeline_models import Derivation, Derivations, RequirementHit, Run, RunStatus
from processors.lily.model import CredentialKind
from processors.sensitive.access import Viewer
from projections.read import pipeline as pipeline_reads
from projections.read import postings as posting_reads
from schemas.errors import NotFound

_NO_FILTER = {
    "loc": ("query", "certification|kind|min_years|skill_code"),
    "msg": "give at least one of certification, kind, min_years, skill_code",
    "type": "missing",
}


# The text a derivation holds about its posting; ids and hashes are left alone.
_TEXT_FIELDS = ("summary", "culture_text", "requirements", "responsibilities", "skills", "red_flags")


def pipeline_router(dsn: str) -> APIRouter:
    router = APIRouter(tags=["pipeline"])
    current_viewer = authenticator(dsn)

    def scrubbed(
        body: dict[str, object], posting_id: str, viewer: Viewer, keys: tuple[str, ...]
    ) -> dict[str, object]:
        row = posting_reads.posting_rows(dsn, [posting_id]).get(posting_id)
        if row is None:
            return body
        stage = posting_reads.stages_for(dsn, viewer, [posting_id])[posting_id]
        return {
            k: posting_reads.posting_text(v, row, viewer, stage) if k in keys else v for k, v in body.items()
        }

    def known(posting_id: str) -> None:
        if not posting_reads.posting_exists(dsn, posting_id):
            raise NotFound(f"no posting with id {posting_id!r}")

    @router.get("/postings/{posting_id}/derivation", responses=problems.responses(401, 404))
    def derivation(
        posting_id: str,
        version: int | None = Query(None, ge=1, le=MAX_OFFSET, description="default: in force"),
        viewer: Viewer = Depends(current_viewer),
    ) -> Derivation:
        """The derivation in force (or `version`): summary, requirements with proof stacks, red flags."""
        known(posting_id)
        d = pipeline_reads.derivation(dsn, posting_id, version)
        return Derivation.model_validate(scrubbed(dataclasses.asdict(d), posting_id, viewer, _TEXT_FIELDS))

    @router.get("/postings/{posting_id}/derivations", responses=problems.responses(401, 404))
    def versions(posting_id: str, viewer: Viewer = Depends(current_viewer)) -> Derivations:
        """Every version with the run, reason and models that made it, and which one is in force.
        Not paged: a posting has one version per run that changed it."""
        known(posting_id)
        return Derivations.model_validate(pipeline_reads.versions(dsn, posting_id))

    @router.get("/runs", responses=problems.responses(401))
    def runs(
        request: Request,
        reason: str | None = Query(None, description="exactly the reason the run was asked with"),
        status: RunStatus | None = None,
        posting_id: str | None = None,
        at: PageRequest = Depends(page_params(100, 10_000)),
        viewer: Viewer = Depends(current_viewer),
    ) -> Page[Run]:
        """Runs, newest first."""
        rows = pipeline_reads.list_runs(
            dsn, reason=reason, status=status, posting_id=posting_id, limit=at.limit, offset=at.offset
        )
        total = pipeline_reads.count_runs(dsn, reason=reason, status=status, posting_id=posting_id)
        return page(request, [Run.model_validate(r) for r in rows], total, at)

    @router.get("/requirements", responses=problems.responses(401))
    def requirements(
        request: Request,
        certification: str | None = Query(None, description="the credential's name, exactly"),
        kind: CredentialKind | None = None,
        min_years: float | None = Query(None, ge=0, le=100, allow_inf_nan=False),
        skill_code: str | None = Query(None, description="a taxonomy code, L1.L2.L3.L4"),
        at: PageRequest = Depends(page_params(100, 10_000)),
        viewer: Viewer = Depends(current_viewer),
    ) -> Page[RequirementHit]:
        """Seed 000's questions (postings requiring certification X, at least N years), from the
        index of derivations in force; give at least one filter."""
        if certification is None and kind is None and min_years is None and skill_code is None:
            raise RequestValidationError([_NO_FILTER])
        rows = pipeline_reads.requiring(
            dsn,
            certification=certification,
            kind=kind,
            min_years=min_years,
            skill_code=skill_code,
            limit=at.limit,
            offset=at.offset,
        )
        total = pipeline_reads.count_requiring(
            dsn, certification=certification, kind=kind, min_years=min_years, skill_code=skill_code
        )
        hits = [scrubbed(dict(r), str(r["posting_id"]), viewer, ("text", "proof_stack")) for r in rows]
        return page(request, [RequirementHit.model_validate(h) for h in hits], total, at)

    return router
