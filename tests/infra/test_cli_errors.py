"""The CLI's one map from errors to messages and exit codes (docs/cli.md), no library named."""

from __future__ import annotations

import pytest

from infra.cli.common import ExitCode, explain
from schemas.errors import (
    BadInput,
    BrokerUnavailable,
    ConfigError,
    Conflict,
    DatabaseRefused,
    DatabaseUnavailable,
    NotFound,
    RegistryUnavailable,
)


@pytest.mark.parametrize(
    ("exc", "code", "says"),
    [
        (BadInput("--limit must be at least 1"), ExitCode.USAGE, "--limit must be at least 1"),
        (NotFound("no posting with id 'x'"), ExitCode.FAILED, "no posting with id 'x'"),
        (Conflict("version 2 is already in force"), ExitCode.FAILED, "already in force"),
        (ConfigError("no stack in d — run `turing up`"), ExitCode.FAILED, "turing up"),
        (
            DatabaseUnavailable("connection refused"),
            ExitCode.FAILED,
            "cannot reach PostgreSQL: connection refused",
        ),
        (DatabaseRefused("relation x does not exist"), ExitCode.FAILED, "PostgreSQL refused the request"),
        (BrokerUnavailable("transport failure"), ExitCode.FAILED, "the broker failed: transport failure"),
        (RegistryUnavailable("HTTP 500"), ExitCode.FAILED, "is the API up?"),
    ],
)
def test_each_error_of_the_hierarchy_has_its_line_and_code(exc: Exception, code: ExitCode, says: str) -> None:
    known = explain(exc)
    assert known is not None
    message, exit_code = known
    assert says in message and exit_code == code


def test_an_error_nobody_expected_is_left_to_the_last_net() -> None:
    assert explain(RuntimeError("boom")) is None
    assert explain(KeyError("k")) is None
