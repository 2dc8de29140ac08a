"""The project's errors: two families, so each front end can answer without knowing a library."""

from __future__ import annotations

import pytest

from schemas.errors import (
    BadInput,
    BrokerUnavailable,
    ConfigError,
    Conflict,
    DatabaseRefused,
    DatabaseUnavailable,
    InfrastructureError,
    NotFound,
    RegistryUnavailable,
    TuringError,
    UserError,
    first_line,
)
from schemas.registry_client import RegistryError, UnknownSchemaId
from streams.producer import DeliveryFailed


@pytest.mark.parametrize("cls", [BadInput, NotFound, Conflict, ConfigError])
def test_user_errors_are_not_infrastructure_failures(cls: type[TuringError]) -> None:
    assert issubclass(cls, UserError) and not issubclass(cls, InfrastructureError)


@pytest.mark.parametrize(
    "cls",
    [
        BrokerUnavailable,
        DatabaseUnavailable,
        DatabaseRefused,
        RegistryUnavailable,
        DeliveryFailed,
        RegistryError,
    ],
)
def test_the_adapters_failures_are_infrastructure_errors(cls: type[TuringError]) -> None:
    assert issubclass(cls, InfrastructureError) and not issubclass(cls, UserError)


def test_not_found_is_still_a_lookup_error_for_callers_that_catch_that() -> None:
    assert issubclass(NotFound, LookupError) and issubclass(UnknownSchemaId, LookupError)


def test_first_line_keeps_one_line_of_a_library_message() -> None:
    assert (
        first_line(ValueError('relation "x" does not exist\nLINE 1: SELECT ...'))
        == 'relation "x" does not exist'
    )
    assert first_line(ValueError("")) == "ValueError"
