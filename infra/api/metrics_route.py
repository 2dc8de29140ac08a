"""`GET /metrics` (Prometheus text format, collected at scrape time) and `GET /ready`.

`/health` says the process answers (liveness); `/ready` says it can do its job: the projection
answers and, where the worker's report is readable, no consumer is stalled, crashed or silent
(readiness, for load balancers and deploy gates). Both stay open for probes; `/metrics` needs a
service or auditor token (Prometheus sends it from a credentials file)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Depends, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry

from infra.api import problems
from infra.api.auth import authenticator, forbidden
from infra.api.models import Body
from processors.sensitive.access import Role, Viewer
from projections import db
from projections.read.metrics import ConsumerReport, ProjectionCollector
from schemas.errors import DatabaseRefused, DatabaseUnavailable


class Ready(Body):
    status: Literal["ready"]
    projection: Literal["ok"]
    worker: Literal["ok", "not reported"]


def install(app: FastAPI, dsn: str, schema: str, consumers: ConsumerReport | None) -> None:
    # A registry of our own: the process-wide default also carries other libraries' collectors.
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ProjectionCollector(dsn, schema, consumers))

    current_viewer = authenticator(dsn)

    def operator(viewer: Viewer = Depends(current_viewer)) -> Viewer:
        if viewer.role not in (Role.SERVICE, Role.AUDITOR):
            raise forbidden(f"metrics are for service and auditor tokens, not {viewer.role.value}")
        return viewer

    @app.get(
        "/metrics",
        tags=["ops"],
        response_class=Response,
        dependencies=[Depends(operator)],
        responses={
            200: {
                "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
                "description": "Prometheus text format",
            },
            **problems.responses(401, 403),
        },
    )
    def metrics() -> Response:
        """Runs, decisions (latency, tokens), projected events, projector offsets, consumer lag."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/ready", tags=["ops"], response_model=Ready, responses=problems.responses(503))
    def ready(request: Request) -> Any:
        try:
            with db.connect(dsn) as conn:
                conn.execute("SELECT 1")
        except (DatabaseUnavailable, DatabaseRefused) as exc:
            return problems.problem(
                request, 503, f"the projection database does not answer: {type(exc).__name__}"
            )
        if consumers is None:
            return Ready(status="ready", projection="ok", worker="not reported")
        report = consumers()
        if not report.get("healthy"):
            troubled = [
                f"{c['name']} ({c.get('state')}, lag {c.get('lag')})"
                for c in report.get("consumers", [])
                if c.get("stalled") or c.get("state") in ("crashed", "no heartbeat")
            ]
            detail = "; ".join(troubled) or str(report.get("error") or "the worker reports no consumers yet")
            return problems.problem(request, 503, f"the worker is not healthy: {detail}")
        return Ready(status="ready", projection="ok", worker="ok")
