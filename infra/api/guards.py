"""Requests that no route means are refused before any query runs.

A query key the route does not declare is a typo the caller should hear about, not a filter
silently ignored; a control character (NUL above all, which PostgreSQL text cannot hold) is
never part of a posting id, a reason or a filter value.
"""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control_chars(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def strict_request(request: Request) -> None:
    """Dependency for every API route: unknown query keys and control characters are 422."""
    route = request.scope.get("route")
    # walked per request: a handful of parameters, and routes are not hashable to cache on
    declared = _query_names(route.dependant) if isinstance(route, APIRoute) else set()
    errors = []
    for name, value in request.path_params.items():
        if isinstance(value, str) and has_control_chars(value):
            errors.append(_error("path", name, "must not contain control characters", "control_character"))
    for key, value in request.query_params.multi_items():
        if key not in declared:
            takes = ", ".join(sorted(declared)) or "no query parameters"
            errors.append(
                _error("query", key, f"unknown query parameter; this route takes {takes}", "extra_forbidden")
            )
        elif has_control_chars(value):
            errors.append(_error("query", key, "must not contain control characters", "control_character"))
    if errors:
        raise RequestValidationError(errors)


def _error(where: str, name: str, msg: str, kind: str) -> dict[str, object]:
    return {"loc": (where, name), "msg": msg, "type": kind}
