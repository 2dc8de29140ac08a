"""HTTP reads of matches, redacted by the pair's recorded stage for the token's viewer; the stage
moves by `POST /matches/{profile}/{posting}/stage`; every sensitive field read is an event."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Query, Request

from infra.api import problems
from infra.api.auth import authenticator, forbidden
from infra.api.match_models import (
    CandidateMatch,
    MatchDetail,
    PairStage,
    RankedMatch,
    StageChange,
    StageName,
)
from infra.api.paging import Page, PageRequest, page, page_params
from infra.usecases.access import StageRefused
from infra.usecases.access import move_stage as move_pair_stage
from processors.sensitive.access import Role, Viewer
from processors.sensitive.model import Access
from projections.read import access as access_reads
from projections.read import candidates as candidate_reads
from projections.read import matches as match_reads
from schemas.errors import NotFound
from schemas.models import AccessEvent, Producer, event_meta, now_utc
from streams.producer import EventProducer

API = Producer(component="api", version="1")
STAGE_HELP = (
    "show values as at this stage at most; the pair's recorded stage (moved by POST .../stage) is the limit"
)
DENIED = (401, 403, 404)


def access_events(
    viewer: Viewer, accesses: list[Access], profile_id: str | None, channel: str = "api"
) -> list[AccessEvent]:
    """One event per sensitive field read, keyed and attributed by the token's viewer."""
    now = now_utc()
    return [
        AccessEvent(
            meta=event_meta("access.read", API, occurred_at=now, correlation_id=viewer.viewer),
            viewer_id=viewer.viewer,
            role=str(viewer.role),
            profile_id=profile_id,
            posting_id=a.posting_id or "",
            field=a.field,
            stage=a.stage.name.lower(),
            visibility=str(a.visibility),
            strategy=str(a.strategy) if a.strategy is not None else None,
            revealed=a.revealed,
            purpose=a.purpose,
            reason=a.reason,
            channel=channel,
        )
        for a in accesses
    ]


def match_router(dsn: str, producer: Callable[[], EventProducer]) -> APIRouter:
    router = APIRouter(tags=["matches"])
    current_viewer = authenticator(dsn)

    def log(viewer: Viewer, accesses: list[Access], profile_id: str) -> None:
        events = access_events(viewer, accesses, profile_id)
        if events:
            p = producer()
            for e in events:
                p.send(e)
            p.flush()

    def requested(stage: StageName | None) -> match_reads.Stage | None:
        return None if stage is None else match_reads.parse_stage(stage)

    @router.get("/profiles/{profile_id}/matches", responses=problems.responses(*DENIED))
    def matches(
        request: Request,
        profile_id: str,
        stage: StageName | None = Query(None, description=STAGE_HELP),
        include_blocked: bool = False,
        at: PageRequest = Depends(page_params(20, 500)),
        viewer: Viewer = Depends(current_viewer),
    ) -> Page[RankedMatch]:
        """Ranked matches with labels and explanations; sensitive fields shown only from their stage.
        For the candidate themselves, auditors (who see every value, logged) and services."""
        if not viewer.may_read_profile(profile_id):
            raise forbidden(
                f"a {viewer.role} token for {viewer.viewer!r} may not read the matches of {profile_id!r}"
            )
        if not match_reads.profile_exists(dsn, profile_id):
            raise NotFound(f"no profile with id {profile_id!r}")
        ranked, accesses = match_reads.ranked_matches(
            dsn, profile_id, requested(stage), at.limit, include_blocked, offset=at.offset, viewer=viewer
        )
        items = [RankedMatch.model_validate(m) for m in ranked]
        total = match_reads.count_matches(dsn, profile_id, include_blocked)
        log(viewer, accesses, profile_id)
        return page(request, items, total, at)

    @router.get("/postings/{posting_id}/matches", responses=problems.responses(*DENIED))
    def candidates(
        request: Request,
        posting_id: str,
        stage: StageName | None = Query(None, description=STAGE_HELP),
        include_blocked: bool = False,
        at: PageRequest = Depends(page_params(20, 500)),
        viewer: Viewer = Depends(current_viewer),
    ) -> Page[CandidateMatch]:
        """The posting's candidates, best first, each pair at its recorded stage. For the posting's
        employer, auditors and services."""
        company = access_reads.posting_company(dsn, posting_id)
        if company is None:
            raise NotFound(f"no posting with id {posting_id!r}")
        if not (viewer.owns(posting_id, company) or viewer.role in (Role.AUDITOR, Role.SERVICE)):
            raise forbidden(
                f"a {viewer.role} token for {viewer.viewer!r} may not read the candidates of {posting_id!r}"
            )
        found, reads = candidate_reads.candidates(
            dsn, posting_id, requested(stage), viewer, at.limit, at.offset, include_blocked
        )
        for profile_id, accesses in reads.items():
            log(viewer, accesses, profile_id)
        total = candidate_reads.count_candidates(dsn, posting_id, include_blocked)
        return page(request, [CandidateMatch.model_validate(m) for m in found], total, at)

    def allowed(viewer: Viewer, profile_id: str, posting_id: str) -> str | None:
        company = access_reads.posting_company(dsn, posting_id)
        if not viewer.may_read_match(profile_id, posting_id, company):
            raise forbidden(
                f"a {viewer.role} token for {viewer.viewer!r} may not read the match of {profile_id!r} "
                f"and {posting_id!r}"
            )
        return company

    @router.get("/matches/{profile_id}/{posting_id}", responses=problems.responses(*DENIED))
    def match(
        profile_id: str,
        posting_id: str,
        stage: StageName | None = Query(None, description=STAGE_HELP),
        viewer: Viewer = Depends(current_viewer),
    ) -> MatchDetail:
        """One match in full: components, weights, explanation, suggestions, the versions it came from.
        For the candidate, the posting's employer, auditors and services."""
        allowed(viewer, profile_id, posting_id)
        found, accesses = match_reads.one_match(dsn, profile_id, posting_id, requested(stage), viewer=viewer)
        detail = MatchDetail.model_validate(found)
        log(viewer, accesses, profile_id)
        return detail

    @router.post("/matches/{profile_id}/{posting_id}/stage", responses=problems.responses(*DENIED, 409))
    def move_stage(
        profile_id: str, posting_id: str, change: StageChange, viewer: Viewer = Depends(current_viewer)
    ) -> PairStage:
        """Move the pair's reveal stage forward: the candidate declares interest, the posting's employer
        reciprocates, either starts the conversation after mutual interest (a `stage.changed` event)."""
        company = allowed(viewer, profile_id, posting_id)
        try:
            moved = move_pair_stage(
                dsn, producer(), viewer, profile_id, posting_id, match_reads.parse_stage(change.to),
                company=company, channel="api",
            )  # fmt: skip
        except StageRefused as exc:
            if viewer.role is Role.AUDITOR or "only" in str(exc):
                raise forbidden(str(exc)) from exc
            raise
        return PairStage(
            profile_id=profile_id,
            posting_id=posting_id,
            stage=moved.after,
            previous=moved.before,
            changed_by=moved.changed_by,
            event_id=moved.event_id,
        )

    return router
