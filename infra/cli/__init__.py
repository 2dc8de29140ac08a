"""`turing`: one command, discoverable subcommands (`turing --help`)."""

from __future__ import annotations

from infra.cli.app import app, main

__all__ = ["app", "main"]
