"""Run the API under uvicorn, bound to 127.0.0.1 (started by `turing up`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from infra.api.app import create_app, embedded_registry_users
from infra.endpoints import Endpoints
from infra.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the Turing API.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings.load(args.data_dir)
    endpoints = settings.endpoints()
    # Embedded: the state file names this very server as the registry; production: the settings.
    users = None if settings.production else embedded_registry_users(endpoints)
    uvicorn.run(
        create_app(endpoints, users, consumers_of(settings, endpoints), settings.projection_schema),
        host=args.host,
        port=args.port,
        log_level="warning",
    )


def consumers_of(settings: Settings, endpoints: Endpoints) -> Callable[[], dict[str, Any]] | None:
    """The worker's health report, where its heartbeat file is readable (same data dir or volume)."""
    from infra.delivery_health import delivery_health
    from streams.health import HEALTH_FILE

    if not (settings.data_dir / HEALTH_FILE).parent.is_dir():
        return None

    def report() -> dict[str, Any]:
        return delivery_health(
            settings.data_dir, endpoints.bootstrap_servers, endpoints.dsn, settings.projection_schema
        )

    return report


if __name__ == "__main__":
    main()
