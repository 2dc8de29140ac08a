"""Readiness and metrics tell the truth: the projection unreachable, a consumer stalled."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import CollectorRegistry

from infra.api.app import create_app
from infra.endpoints import Endpoints
from infra.ports import free_ports
from projections.read.metrics import ProjectionCollector


def _unreachable() -> Endpoints:
    port = free_ports(1)[0]  # nothing listens there
    return Endpoints(
        bootstrap_servers=f"127.0.0.1:{port}",
        registry_url=f"http://127.0.0.1:{port}",
        dsn=f"postgresql://nobody@127.0.0.1:{port}/none?connect_timeout=2",
    )


def test_ready_is_503_and_metrics_report_the_projection_down_when_postgres_is_gone() -> None:
    with TestClient(create_app(_unreachable()), raise_server_exceptions=False) as client:
        ready = client.get("/ready")
        assert ready.status_code == 503
        assert ready.headers["content-type"].startswith("application/problem+json")
        assert "projection database" in ready.json()["detail"]
        assert client.get("/health").status_code == 200
        # Metrics need a service or auditor token; without one nothing is read at all.
        assert client.get("/metrics").status_code == 401


def test_a_scrape_reports_the_projection_down_instead_of_failing() -> None:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ProjectionCollector(_unreachable().dsn))
    families = {f.name: f for f in text_string_to_metric_families(generate_latest(registry).decode())}
    assert families["turing_projection_up"].samples[0].value == 0


@pytest.mark.stack
def test_ready_names_a_stalled_consumer_and_passes_a_healthy_worker(pg_dsn: str) -> None:
    endpoints = _unreachable().model_copy(update={"dsn": pg_dsn})
    report: dict[str, object] = {
        "healthy": False,
        "consumers": [
            {"name": "pipeline", "state": "running", "lag": 64, "stalled": True},
            {"name": "matcher", "state": "running", "lag": 0, "stalled": False},
        ],
    }
    with TestClient(create_app(endpoints, consumers=lambda: report), raise_server_exceptions=False) as client:
        stalled = client.get("/ready")
        assert stalled.status_code == 503
        assert (
            "pipeline (running, lag 64)" in stalled.json()["detail"]
            and "matcher" not in stalled.json()["detail"]
        )
        report.update(healthy=True, consumers=[])
        assert client.get("/ready").json() == {"status": "ready", "projection": "ok", "worker": "ok"}
