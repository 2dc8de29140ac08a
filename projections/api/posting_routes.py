"""HTTP reads of postings and the lineage of their fields."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from projections import lineage, queries
from projections.api import problems
from projections.api.models import Posting, PostingStatus, PostingSummary, Trace
from projections.api.paging import Page, PageRequest, page, page_params
from schemas.codec import EventCodec


def posting_router(dsn: str, bootstrap_servers: str, codec: EventCodec) -> APIRouter:
    router = APIRouter()

    @router.get("/postings", tags=["postings"], responses=problems.responses())
    def postings(
        request: Request,
        status: PostingStatus | None = Query(None, description="open or withdrawn; both if absent"),
        at: PageRequest = Depends(page_params(50, 1000)),
    ) -> Page[PostingSummary]:
        """Postings in id order, one page at a time."""
        rows = queries.list_postings(dsn, limit=at.limit, offset=at.offset, status=status)
        items = [PostingSummary.model_validate(r) for r in rows]
        return page(request, items, queries.count_postings(dsn, status=status), at)

    @router.get("/postings/{posting_id}", tags=["postings"], responses=problems.responses(404))
    def posting(posting_id: str) -> Posting:
        """The posting's current content, every version, and the event behind each field."""
        row = queries.get_posting(dsn, posting_id)
        if row is None:
            raise HTTPException(404, f"no posting with id {posting_id!r}")
        return Posting.model_validate(row)

    @router.get("/trace/posting/{posting_id}/{field}", tags=["lineage"], responses=problems.responses(404))
    def trace(posting_id: str, field: str, verify: bool = True) -> Trace:
        """The event that set a field (a content field, `summary`, `requirements[N].LAYER`, ...),
        its causes down to the posting event, and with `verify` each re-read from the log."""
        if not queries.posting_exists(dsn, posting_id):
            raise HTTPException(404, f"no posting with id {posting_id!r}")
        try:
            result = lineage.trace_posting(dsn, posting_id, field)
        except lineage.TraceError as exc:
            raise HTTPException(404, str(exc)) from exc
        if verify:
            result = lineage.verify(result, bootstrap_servers, codec)
        return Trace.model_validate(result)

    return router
