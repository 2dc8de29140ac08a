"""FastAPI application (OpenAPI at /docs)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query

from infra.settings import Endpoints
from projections import lineage, queries
from projections.api.match_routes import match_router
from projections.api.pipeline_routes import pipeline_router
from projections.jsonable import jsonable
from projections.registry.router import registry_router
from projections.registry.store import RegistryStore
from schemas.codec import EventCodec
from streams.producer import EventProducer


def create_app(endpoints: Endpoints) -> FastAPI:
    app = FastAPI(title="Turing", version="0.1.0", description="Job postings as explained, traceable events.")
    store = RegistryStore(endpoints.dsn)
    store.ensure_schema()
    app.include_router(registry_router(store), tags=["schema registry"])
    codec = EventCodec(store)
    app.include_router(pipeline_router(endpoints.dsn))
    producers: list[EventProducer] = []

    def producer() -> EventProducer:
        # Created on first use: reads that touch no sensitive field never need the broker.
        if not producers:
            producers.append(EventProducer(endpoints.bootstrap_servers, codec, client_id="turing-api"))
        return producers[0]

    app.include_router(match_router(endpoints.dsn, producer))

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/postings", tags=["postings"])
    def postings(limit: int = Query(50, ge=1, le=1000), status: str | None = None) -> list[dict[str, Any]]:
        return [jsonable(dict(r)) for r in queries.list_postings(endpoints.dsn, limit=limit, status=status)]

    @app.get("/postings/{posting_id}", tags=["postings"])
    def posting(posting_id: str) -> dict[str, Any]:
        row = queries.get_posting(endpoints.dsn, posting_id)
        if row is None:
            raise HTTPException(404, f"no posting with id {posting_id!r}")
        return jsonable(dict(row))

    @app.get("/trace/posting/{posting_id}/{field}", tags=["lineage"])
    def trace(posting_id: str, field: str, verify: bool = True) -> dict[str, Any]:
        try:
            result = lineage.trace_posting(endpoints.dsn, posting_id, field)
        except lineage.TraceError as exc:
            raise HTTPException(404, str(exc)) from exc
        if verify:
            result = lineage.verify(result, endpoints.bootstrap_servers, codec)
        return result

    return app
