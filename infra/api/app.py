"""FastAPI application: reads, trace and the registry subset (OpenAPI at /docs, offline)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from infra.api import docs_assets, metrics_route, problems
from infra.api.feedback_routes import feedback_router
from infra.api.guards import strict_request
from infra.api.match_routes import match_router
from infra.api.models import Health
from infra.api.pipeline_routes import pipeline_router
from infra.api.posting_routes import posting_router
from infra.endpoints import Endpoints
from infra.registry.router import registry_router
from infra.registry.store import RegistryStore
from projections.read.metrics import ConsumerReport
from schemas.codec import EventCodec
from schemas.registry_client import ConfluentRegistry
from streams.producer import EventProducer

DESCRIPTION = """Job postings as explained, traceable events.

Every route but the probes (`/health`, `/ready`) needs `Authorization: Bearer <token>`
(`turing tokens create`; `/metrics` a service or auditor token): 401 without a live token, 403
for what the token's role does not cover. What a viewer sees of a sensitive field follows its
rule and the pair's recorded stage (docs/access.md).

Lists answer one page: `items`, `total`, `limit`, `offset` and `next` (the next page's path, or
null). Filters are validated and unknown query parameters are refused. Errors are
`application/problem+json` (RFC 9457), except under the schema-registry routes, which answer
Confluent's `{error_code, message}`. Timestamps are ISO 8601 with an offset."""


def create_app(
    endpoints: Endpoints,
    registry_users: Mapping[str, str] | None = None,
    consumers: ConsumerReport | None = None,
    schema: str = "proj",
) -> FastAPI:
    """The API; with `registry_users` it also serves the embedded schema registry to those users.

    Production talks to its own registry: there the subset is not mounted at all."""
    producers: list[EventProducer] = []

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        # dropped, not kept alive reconnecting to a broker that may be gone after shutdown
        for p in producers:
            p.flush(timeout=5)
        producers.clear()

    app = FastAPI(
        title="Turing",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    problems.install(app)
    docs_assets.install(app)
    metrics_route.install(app, endpoints.dsn, schema, consumers)
    store = RegistryStore(endpoints.dsn)
    if registry_users is not None:
        store.ensure_schema()
        app.include_router(registry_router(store, registry_users))
    # Events are framed with ids from the registry the writers used: the embedded one is this
    # store; with an external registry the codec must ask that one.
    codec = EventCodec(store if registry_users is not None else _external_registry(endpoints))

    def producer() -> EventProducer:
        # Created on first use: reads that touch no sensitive field never need the broker.
        if not producers:
            producers.append(EventProducer(endpoints.bootstrap_servers, codec, client_id="turing-api"))
        return producers[0]

    strict = [Depends(strict_request)]
    app.include_router(
        posting_router(endpoints.dsn, endpoints.bootstrap_servers, codec, producer), dependencies=strict
    )
    app.include_router(pipeline_router(endpoints.dsn), dependencies=strict)
    app.include_router(match_router(endpoints.dsn, producer), dependencies=strict)
    app.include_router(feedback_router(endpoints.dsn, schema, producer), dependencies=strict)

    @app.get("/health", tags=["ops"], dependencies=strict, responses=problems.responses())
    def health() -> Health:
        return Health(status="ok")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            app.openapi_schema = problems.problems_in_openapi(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _external_registry(endpoints: Endpoints) -> ConfluentRegistry:
    return ConfluentRegistry(endpoints.registry_url, endpoints.registry_auth)


def embedded_registry_users(endpoints: Endpoints) -> dict[str, str]:
    """Who may use the embedded registry: the stack's own service identity."""
    auth = endpoints.registry_auth
    if auth is None or auth.username is None or auth.password is None:
        raise ValueError("the embedded registry needs the stack's registry credentials")
    return {auth.username: auth.password.get_secret_value()}
