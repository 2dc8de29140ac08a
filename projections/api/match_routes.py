"""HTTP reads of matches, redacted by stage; every sensitive field read is logged as an event."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from processors.sensitive.model import Access
from projections import match_reads
from projections.api import problems
from projections.api.match_models import MatchDetail, RankedMatch, StageName
from projections.api.paging import Page, PageRequest, page, page_params
from schemas.models import AccessEvent, Meta, Producer, now_utc
from streams.producer import EventProducer

API = Producer(component="api", version="1")
STAGE_HELP = "how far the candidate and employer have come; it decides which sensitive fields show"


def access_events(viewer: str, accesses: list[Access]) -> list[AccessEvent]:
    now = now_utc()
    return [
        AccessEvent(
            meta=Meta(
                event_id=uuid.uuid4(),
                event_type="access.read",
                occurred_at=now,
                producer=API,
                correlation_id=viewer,
            ),
            viewer_id=viewer,
            posting_id=a.posting_id or "",
            field=a.field,
            stage=a.stage.name.lower(),
            visibility=str(a.visibility),
            strategy=str(a.strategy) if a.strategy is not None else None,
            revealed=a.revealed,
            purpose=a.purpose,
            reason=a.reason,
        )
        for a in accesses
    ]


def match_router(dsn: str, producer: Callable[[], EventProducer]) -> APIRouter:
    router = APIRouter(tags=["matches"])

    def log(viewer: str, accesses: list[Access]) -> None:
        events = access_events(viewer, accesses)
        if events:
            p = producer()
            for e in events:
                p.send(e)
            p.flush()

    @router.get("/profiles/{profile_id}/matches", responses=problems.responses(404))
    def matches(
        request: Request,
        profile_id: str,
        stage: StageName = Query("discovery", description=STAGE_HELP),
        include_blocked: bool = False,
        at: PageRequest = Depends(page_params(20, 500)),
    ) -> Page[RankedMatch]:
        """Ranked matches with labels and explanations; sensitive fields shown only from their stage."""
        if not match_reads.profile_exists(dsn, profile_id):
            raise HTTPException(404, f"no profile with id {profile_id!r}")
        ranked, accesses = match_reads.ranked_matches(
            dsn, profile_id, match_reads.parse_stage(stage), at.limit, include_blocked, offset=at.offset
        )
        items = [RankedMatch.model_validate(m) for m in ranked]
        total = match_reads.count_matches(dsn, profile_id, include_blocked)
        log(profile_id, accesses)
        return page(request, items, total, at)

    @router.get("/matches/{profile_id}/{posting_id}", responses=problems.responses(404))
    def match(
        profile_id: str, posting_id: str, stage: StageName = Query("discovery", description=STAGE_HELP)
    ) -> MatchDetail:
        """One match in full: components, weights, explanation, suggestions, the versions it came from."""
        try:
            found, accesses = match_reads.one_match(
                dsn, profile_id, posting_id, match_reads.parse_stage(stage)
            )
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        detail = MatchDetail.model_validate(found)
        log(profile_id, accesses)
        return detail

    return router
