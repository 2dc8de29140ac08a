"""`turing tokens`, `turing stage set`, `turing access log` and `turing profiles erase` on the real
stack: what they print, what they refuse, and that the API honours what they recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.context import Context
from infra.endpoints import Endpoints
from tests.infra.api.test_access_api import POSTING, PROFILE, seed_samples_with_a_match
from tests.infra.test_cli import run

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(module_stack: tuple[Path, Endpoints]) -> Iterator[tuple[Path, Endpoints]]:
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    try:
        seed_samples_with_a_match(ctx)
        yield root, endpoints
    finally:
        ctx.close()


def cli(root: Path, *args: str, code: int = 0) -> Any:
    proc = run(*args, data_dir=root, check=False)
    assert proc.returncode == code, (args, proc.stdout, proc.stderr)
    if code:
        assert proc.stderr.startswith("error:") and "Traceback" not in proc.stderr
        return proc.stderr
    return json.loads(proc.stdout) if "--json" in args else proc.stdout


def test_tokens_stage_access_log_and_erasure_from_the_command_line(stack: tuple[Path, Endpoints]) -> None:
    root, endpoints = stack
    made = cli(
        root, "tokens", "create", "--viewer", "amara", "--role", "candidate", "--profile", PROFILE, "--json"
    )
    token = made["token"]
    assert token.startswith("tu_") and made["role"] == "candidate" and made["profile_id"] == PROFILE
    listed = cli(root, "tokens", "list", "--viewer", "amara", "--json")
    assert [t["token_id"] for t in listed] == [made["token_id"]]
    assert token not in json.dumps(listed) and "sha256" not in json.dumps(listed)
    cli(root, "tokens", "create", "--viewer", "x", "--role", "candidate", code=2)  # no --profile
    cli(root, "tokens", "create", "--viewer", "x", "--role", "employer", code=2)  # no owner or posting
    cli(root, "tokens", "create", "--viewer", "x", "--role", "auditor", "--expires", "soon", code=2)

    url = f"{endpoints.api_url}/matches/{PROFILE}/{POSTING}"
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(url, headers=headers, timeout=30).json()["stage"] == "discovery"
    moved = cli(
        root, "stage", "set", "--profile", PROFILE, "--posting", POSTING, "--to", "mutual_interest", "--json"
    )
    assert (moved["from"], moved["to"]) == ("discovery", "mutual_interest")
    assert httpx.get(url, headers=headers, timeout=30).json()["stage"] == "mutual_interest"
    back = cli(root, "stage", "set", "--profile", PROFILE, "--posting", POSTING, "--to", "discovery", code=2)
    assert "only move forward" in back
    cli(root, "stage", "set", "--profile", PROFILE, "--posting", "no-such", "--to", "mutual_interest", code=1)

    Context(endpoints, component="tests").catch_up()
    log = cli(root, "access", "log", "--viewer", "amara", "--json")
    assert log and {(r["viewer"], r["role"], r["profile_id"]) for r in log} == {
        ("amara", "candidate", PROFILE)
    }
    assert {r["stage"] for r in log} == {"discovery", "mutual_interest"}

    cli(root, "tokens", "revoke", made["token_id"], "--json")
    assert httpx.get(url, headers=headers, timeout=30).status_code == 401
    cli(root, "tokens", "revoke", "no-such-id", code=1)

    erased = cli(root, "profiles", "erase", PROFILE, "--reason", "request #7", "--json")
    assert erased["erased"] and erased["withdrawn_matches"] == [POSTING]
    traced = cli(root, "trace", "match", PROFILE, POSTING, "fit.total", "--verify", "--json")
    assert traced["value"] == "erased" and traced["verified"] is True
    assert traced["event"]["event_type"] == "profile.erased"
    cli(root, "profiles", "erase", "pr-no-such", "--reason", "x", code=1)
