"""Shared fixtures: a real PostgreSQL and a real embedded stack (Tansu in memory), started here."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra import postgres
from infra.endpoints import Endpoints
from infra.ports import free_ports

os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="turing-xdg-"))
# The workers the stack tests start run Lily on rules-1: hybrid-1, the product's default, loads
# the ESCO linker (seconds and hundreds of MiB per process). Its own tests ask for it by name,
# and tests/infra/test_settings_lily_default.py checks the default without this variable.
os.environ.setdefault("TURING_PIPELINE", '{"default_engine": "rules:rules-1"}')


def _short_tmp(prefix: str) -> Path:
    # Data dirs stay short: the server's paths end up in error messages and sockets.
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("TURING_TEST_TMP", "/tmp")))
    os.chmod(path, 0o755)
    return path


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """A bare PostgreSQL 18 cluster (database `turing`, pgvector installed) for this session."""
    root = _short_tmp("turing-pg-")
    pgdata = root / "pg"
    password = secrets.token_urlsafe(16)
    postgres.init_cluster(pgdata, password)
    port = free_ports(1)[0]
    postgres.start(pgdata, port, root / "pg.log", password)
    try:
        yield postgres.dsn(port, password)
    finally:
        postgres.stop(pgdata)
        shutil.rmtree(root, ignore_errors=True)


def _start_stack(storage: str = "memory") -> tuple[Path, Endpoints]:
    from infra import stack

    root = _short_tmp("turing-stack-")
    # No pipeline worker: tests that need one start (and kill) their own.
    state = stack.up(root, storage=storage, log=lambda *_: None, worker=False)  # type: ignore[arg-type]
    return root, state.endpoints()


def _running_stack() -> Iterator[tuple[Path, Endpoints]]:
    from infra import stack

    root, endpoints = _start_stack()
    try:
        yield root, endpoints
    finally:
        stack.down(root)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def fresh_stack() -> Iterator[tuple[Path, Endpoints]]:
    """A whole embedded stack (broker in memory, Postgres, API) for one test."""
    yield from _running_stack()


@pytest.fixture(scope="module")
def module_stack() -> Iterator[tuple[Path, Endpoints]]:
    """One embedded stack shared by the tests of a module."""
    yield from _running_stack()


SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture()
def ctx(fresh_stack):  # type: ignore[no-untyped-def]
    """A Context on a fresh stack (closed after the test)."""
    from infra.context import Context

    context = Context(fresh_stack[1], component="tests")
    try:
        yield context
    finally:
        context.close()


# Real slices of the public corpora ship with the tests (tests/data/public, rebuilt by its
# build.py), so the corpus readers, the importer and the eval commands run on every machine.
PUBLIC_SLICES = Path(__file__).resolve().parent / "data" / "public"


@pytest.fixture
def public_slices(monkeypatch: pytest.MonkeyPatch) -> Path:
    """TURING_PUBLIC_DATA pointed at the shipped slices for one test."""
    monkeypatch.setenv("TURING_PUBLIC_DATA", str(PUBLIC_SLICES))
    return PUBLIC_SLICES
