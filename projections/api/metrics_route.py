"""`GET /metrics`: Prometheus text format, collected from the projection at scrape time."""

from __future__ import annotations

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry

from projections.metrics import ConsumerReport, ProjectionCollector


def install(app: FastAPI, dsn: str, schema: str, consumers: ConsumerReport | None) -> None:
    # A registry of our own: the process-wide default also carries other libraries' collectors.
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ProjectionCollector(dsn, schema, consumers))

    @app.get(
        "/metrics",
        tags=["ops"],
        response_class=Response,
        responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}},
    )
    def metrics() -> Response:
        """Runs, decisions (latency, tokens), projected events, projector offsets, consumer lag."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
