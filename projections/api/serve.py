"""Run the API under uvicorn, bound to 127.0.0.1 (started by `turing up`)."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.settings import Settings
from projections.api.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the Turing API.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings.load(args.data_dir)
    endpoints = _endpoints(settings, args.port)
    uvicorn.run(create_app(endpoints), host=args.host, port=args.port, log_level="warning")


def _endpoints(settings: Settings, port: int):  # type: ignore[no-untyped-def]
    """In the embedded stack the registry is this very server; the rest comes from the state file."""
    from infra.settings import Endpoints
    from infra.stack import StackState

    if settings.production:
        return settings.endpoints()
    state = StackState.read(settings.data_dir)
    if state is None:
        raise SystemExit(f"no stack state in {settings.data_dir}")
    e = state.endpoints()
    return Endpoints(
        bootstrap_servers=e.bootstrap_servers, registry_url=f"http://127.0.0.1:{port}", dsn=e.dsn
    )


if __name__ == "__main__":
    main()
