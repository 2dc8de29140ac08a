"""The errors Turing raises on purpose, in the lowest layer so that every package can raise them.

Two families, because the two call for different answers:

- `UserError`: what was asked is wrong (bad input, an unknown id, a conflict with the state,
  a setting that is missing or wrong). The message is for the user and says what to change.
- `InfrastructureError`: a service Turing depends on (broker, database, schema registry) failed
  or cannot be reached. The request may be fine; retrying once the service is back can help.

Adapters translate their libraries' exceptions (psycopg, confluent-kafka) into these at their
boundary, so the CLI and the API each map this hierarchy in one place and know no library.
Messages are the detail only (one line); each front end adds its own hint (`turing status`,
an HTTP status).
"""

from __future__ import annotations


class TuringError(Exception):
    """Base of every error the project raises on purpose."""


class UserError(TuringError):
    """What was asked cannot be done as asked; the message says what to change."""


class BadInput(UserError):
    """An argument or an input's content is wrong (a value, a file's kind or shape)."""


class NotFound(UserError, LookupError):
    """What was asked for does not exist (a LookupError too, so callers may catch either)."""


class Conflict(UserError):
    """The request contradicts the current state (e.g. a version that is already in force)."""


class ConfigError(UserError):
    """A setting is missing or wrong; the message says which and what to do."""


class InfrastructureError(TuringError):
    """A service Turing depends on failed or cannot be reached."""


class BrokerUnavailable(InfrastructureError):
    """The Kafka broker failed a request or cannot be reached."""


class DatabaseUnavailable(InfrastructureError):
    """PostgreSQL cannot be reached (refused, gone, timed out)."""


class DatabaseRefused(InfrastructureError):
    """PostgreSQL answered but refused the request (a missing table, a constraint, permissions)."""


class RegistryUnavailable(InfrastructureError):
    """The schema registry failed a request or cannot be reached."""


def first_line(exc: BaseException) -> str:
    """A library error's message as one line (psycopg's carry a context block after the first)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
