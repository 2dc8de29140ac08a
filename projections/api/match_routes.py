"""HTTP reads of matches, redacted by stage; every sensitive field read is logged as an event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Query

from processors.sensitive.model import Access
from projections import match_reads
from schemas.models import AccessEvent, Meta, Producer, now_utc
from streams.producer import EventProducer

API = Producer(component="api", version="1")
STAGE_HELP = "discovery (default), candidate_interested, mutual_interest or conversation_started"


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
    router = APIRouter()

    def log(viewer: str, accesses: list[Access]) -> None:
        events = access_events(viewer, accesses)
        if events:
            p = producer()
            for e in events:
                p.send(e)
            p.flush()

    def stage_of(name: str) -> Any:
        try:
            return match_reads.parse_stage(name)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc

    @router.get("/profiles/{profile_id}/matches", tags=["matches"])
    def matches(
        profile_id: str,
        stage: str = Query("discovery", description=STAGE_HELP),
        limit: int = Query(20, ge=1, le=500),
        include_blocked: bool = False,
    ) -> list[dict[str, Any]]:
        """Ranked matches with labels and explanations; sensitive fields shown only from their stage."""
        ranked, accesses = match_reads.ranked_matches(
            dsn, profile_id, stage_of(stage), limit, include_blocked
        )
        log(profile_id, accesses)
        return ranked

    @router.get("/matches/{profile_id}/{posting_id}", tags=["matches"])
    def match(
        profile_id: str, posting_id: str, stage: str = Query("discovery", description=STAGE_HELP)
    ) -> dict[str, Any]:
        """One match in full: components, weights, explanation, suggestions, the versions it came from."""
        try:
            found, accesses = match_reads.one_match(dsn, profile_id, posting_id, stage_of(stage))
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        log(profile_id, accesses)
        return found

    return router
