"""Run the API under uvicorn, bound to 127.0.0.1 (started by `turing up`)."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.settings import Settings
from projections.api.app import create_app, embedded_registry_users


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
    uvicorn.run(create_app(endpoints, users), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
