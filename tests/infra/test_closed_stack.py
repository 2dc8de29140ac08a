"""The embedded stack is closed by default: credentials for every server, private files."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from infra import credentials, postgres, stack
from infra.endpoints import Endpoints
from infra.s3sign import signed_headers
from infra.stack_state import StackState
from tests.conftest import _short_tmp

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def durable() -> Iterator[tuple[Path, StackState]]:
    root = _short_tmp("turing-closed-")
    state = stack.up(root / "data", storage="s3", log=lambda *_: None, worker=False)
    try:
        yield root / "data", state
    finally:
        stack.down(root / "data")
        shutil.rmtree(root, ignore_errors=True)


def test_postgres_refuses_a_client_without_the_password(durable: tuple[Path, StackState]) -> None:
    _, state = durable
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(postgres.dsn(state.postgres_port), connect_timeout=5).close()
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(postgres.dsn(state.postgres_port, "guess"), connect_timeout=5).close()
    with psycopg.connect(state.endpoints().dsn, connect_timeout=5) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_s3_refuses_anonymous_list_get_put_and_delete(durable: tuple[Path, StackState]) -> None:
    data_dir, state = durable
    base = f"http://127.0.0.1:{state.seaweed_ports['s3']}"
    for method, path in [("GET", "/"), ("GET", "/tansu"), ("PUT", "/tansu/x"), ("DELETE", "/tansu")]:
        answer = httpx.request(method, base + path, content=b"x" if method == "PUT" else None, timeout=10)
        assert answer.status_code == 403, (method, path, answer.status_code)
    creds = credentials.load(data_dir)
    assert creds is not None
    url = base + "/tansu"
    key, secret = creds.s3_access_key, creds.s3_secret_key.get_secret_value()
    assert httpx.get(url, headers=signed_headers("GET", url, key, secret), timeout=10).status_code == 200
    forged = signed_headers("GET", url, key, secret + "x")
    assert httpx.get(url, headers=forged, timeout=10).status_code == 403


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_and_everything_turing_writes_are_private(durable: tuple[Path, StackState]) -> None:
    data_dir, _ = durable
    traversable_by_server = 0o710 if os.geteuid() == 0 else 0o700
    assert _mode(data_dir) == traversable_by_server
    assert _mode(data_dir / "logs") == traversable_by_server
    for name in ("stack.json", "credentials.json"):
        assert _mode(data_dir / name) == 0o600, name
    for log in (data_dir / "logs").iterdir():
        assert _mode(log) == 0o600, log
    # SeaweedFS sets 0644 on its volume files itself: the 0700 directory is what keeps them private.
    assert _mode(data_dir / "seaweedfs") == 0o700
    assert _mode(data_dir / "seaweedfs" / "s3-identities.json") == 0o600


def test_up_leaves_the_directories_above_the_data_dir_alone() -> None:
    root = _short_tmp("turing-parents-")
    above = root / "above"
    above.mkdir(mode=0o750)
    os.chmod(above, 0o750)
    try:
        if os.geteuid() == 0:
            # The server's account cannot pass through `above`: a clear refusal, no chmod.
            with pytest.raises(RuntimeError, match="cannot pass through"):
                stack.up(above / "data", storage="memory", log=lambda *_: None, worker=False)
        else:
            stack.up(above / "data", storage="memory", log=lambda *_: None, worker=False)
        assert _mode(above) == 0o750
    finally:
        stack.down(above / "data")
        shutil.rmtree(root, ignore_errors=True)


def test_printed_addresses_never_carry_the_password(durable: tuple[Path, StackState]) -> None:
    data_dir, state = durable
    secret = state.credentials().postgres_password.get_secret_value()
    endpoints: Endpoints = state.endpoints()
    assert secret in endpoints.dsn
    assert secret not in endpoints.printable_dsn and "***" in endpoints.printable_dsn
    assert secret not in str(stack.status(data_dir))
