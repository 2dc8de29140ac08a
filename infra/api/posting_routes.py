"""HTTP reads of postings and the lineage of their fields, redacted for the token's viewer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Query, Request

from infra.api import problems
from infra.api.auth import authenticator
from infra.api.match_routes import access_events
from infra.api.models import Posting, PostingStatus, PostingSummary, Trace
from infra.api.paging import Page, PageRequest, page, page_params
from processors.sensitive.access import Viewer
from processors.sensitive.model import Access
from projections import lineage
from projections.read import postings as posting_reads
from schemas.codec import EventCodec
from schemas.errors import NotFound
from streams.log_reader import KafkaLogReader
from streams.producer import EventProducer

DENIED = (401,)


def posting_router(
    dsn: str, bootstrap_servers: str, codec: EventCodec, producer: Callable[[], EventProducer]
) -> APIRouter:
    router = APIRouter()
    current_viewer = authenticator(dsn)
    event_log = KafkaLogReader(bootstrap_servers)

    def log(viewer: Viewer, accesses: list[Access]) -> None:
        events = access_events(viewer, accesses, viewer.profile_id)
        if events:
            p = producer()
            for e in events:
                p.send(e)
            p.flush()

    @router.get("/postings", tags=["postings"], responses=problems.responses(*DENIED))
    def postings(
        request: Request,
        status: PostingStatus | None = Query(None, description="open or withdrawn; both if absent"),
        at: PageRequest = Depends(page_params(50, 1000)),
        viewer: Viewer = Depends(current_viewer),
    ) -> Page[PostingSummary]:
        """Postings in id order, one page at a time; sensitive fields as the viewer may see them."""
        rows = posting_reads.list_postings(dsn, limit=at.limit, offset=at.offset, status=status)
        stages = posting_reads.stages_for(dsn, viewer, [r["posting_id"] for r in rows])
        items, accesses = [], []
        for r in rows:
            shown, read = posting_reads.posting_row(r, viewer, stages[r["posting_id"]])
            items.append(PostingSummary.model_validate(shown))
            accesses += read
        log(viewer, accesses)
        return page(request, items, posting_reads.count_postings(dsn, status=status), at)

    @router.get("/postings/{posting_id}", tags=["postings"], responses=problems.responses(*DENIED, 404))
    def posting(posting_id: str, viewer: Viewer = Depends(current_viewer)) -> Posting:
        """The posting's current content, every version, and the event behind each field."""
        row = posting_reads.get_posting(dsn, posting_id)
        if row is None:
            raise NotFound(f"no posting with id {posting_id!r}")
        stage = posting_reads.stages_for(dsn, viewer, [posting_id])[posting_id]
        shown, accesses = posting_reads.posting_row(row, viewer, stage)
        log(viewer, accesses)
        return Posting.model_validate(shown)

    @router.get(
        "/trace/posting/{posting_id}/{field}", tags=["lineage"], responses=problems.responses(*DENIED, 404)
    )
    def trace(
        posting_id: str, field: str, verify: bool = True, viewer: Viewer = Depends(current_viewer)
    ) -> Trace:
        """The event that set a field (a content field, `summary`, `requirements[N].LAYER`, ...),
        its causes down to the posting event, and with `verify` each re-read from the log. The value
        is shown as the viewer may see it."""
        rows = posting_reads.posting_rows(dsn, [posting_id])
        if posting_id not in rows:
            raise NotFound(f"no posting with id {posting_id!r}")
        result = lineage.trace_posting(dsn, posting_id, field)
        if verify:
            result = lineage.verify(result, event_log, codec)
        row = rows[posting_id]
        stage = posting_reads.stages_for(dsn, viewer, [posting_id])[posting_id]
        if field in row:
            shown, accesses = posting_reads.posting_row({**row, field: result["value"]}, viewer, stage)
            log(viewer, [a for a in accesses if a.field == field])
            result = {**result, "value": shown[field]}
        else:
            result = {**result, "value": posting_reads.posting_text(result["value"], row, viewer, stage)}
        return Trace.model_validate(result)

    return router
