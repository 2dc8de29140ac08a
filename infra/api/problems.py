"""Every API error as an RFC 9457 problem (`application/problem+json`), whatever raised it.

The schema-registry routes answer in Confluent's own shape instead (see infra.registry).
"""

from __future__ import annotations

import http
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.errors import (
    BadInput,
    BrokerUnavailable,
    Conflict,
    DatabaseUnavailable,
    InfrastructureError,
    NotFound,
    RegistryUnavailable,
    TuringError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("turing.api")


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="where: `query`, `path` or `body`, then the parameter name")
    msg: str
    type: str = Field(
        description="a stable code, e.g. `literal_error`, `extra_forbidden`, `control_character`"
    )


class Problem(BaseModel):
    """RFC 9457 problem details. `type` is `about:blank`: `title` is the HTTP status phrase."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str = Field(description="the request path, as sent")
    errors: list[FieldError] | None = Field(default=None, description="each invalid parameter (422 only)")


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _instance(request: Request) -> str:
    # the path as sent (still percent-encoded), so control characters never reach the body raw
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else request.url.path


def problem(
    request: Request,
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    body = Problem(
        title=_phrase(status), status=status, detail=detail, instance=_instance(request), errors=errors
    )
    return ProblemResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def field_errors(raw: Sequence[Any]) -> list[FieldError]:
    """Location, message and code of each error; never the input (it may be huge or binary)."""
    out = []
    for e in raw:
        loc = [p if isinstance(p, int) else str(p) for p in e.get("loc", ())]
        out.append(FieldError(loc=loc, msg=str(e.get("msg", "")), type=str(e.get("type", "value_error"))))
    return out


def _where(e: FieldError) -> str:
    return ".".join(str(p) for p in e.loc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (204, 304) or exc.status_code < 200:
        return Response(status_code=exc.status_code, headers=exc.headers)
    detail = exc.detail if isinstance(exc.detail, str) else _phrase(exc.status_code)
    return problem(request, exc.status_code, detail, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc.errors())
    detail = "; ".join(f"{_where(e)}: {e.msg}" for e in errors) or "invalid request"
    return problem(request, 422, detail, errors=errors)


# The one map from the project's errors to statuses; the first class that matches wins.
_USER_STATUS: tuple[tuple[type[TuringError], int], ...] = ((NotFound, 404), (Conflict, 409), (BadInput, 422))
_UNAVAILABLE: tuple[tuple[type[InfrastructureError], str], ...] = (
    (DatabaseUnavailable, "the projection database"),
    (BrokerUnavailable, "the event broker"),
    (RegistryUnavailable, "the schema registry"),
)


async def _turing_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TuringError)
    for cls, status in _USER_STATUS:
        if isinstance(exc, cls):
            return problem(request, status, str(exc))
    for cls, service in _UNAVAILABLE:
        if isinstance(exc, cls):
            # The caller learns which kind of service is away, never its address or message.
            log.error("%s is unavailable on %s %s", service, request.method, _instance(request), exc_info=exc)
            return problem(request, 503, f"{service} is unavailable; retry later")
    # A refused query or a setting that is wrong: the server's fault, told only to its log.
    return await _unexpected(request, exc)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # the caller learns only that it failed; the trace goes to the server's log
    log.error("unhandled error on %s %s", request.method, _instance(request), exc_info=exc)
    return problem(request, 500, "the server failed to answer this request; the error is logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(TuringError, _turing_error)
    app.add_exception_handler(Exception, _unexpected)


_DESCRIPTIONS = {
    400: "The request cannot be read",
    404: "The resource (or its parent) does not exist",
    422: "A parameter is invalid or unknown; `errors` names each one",
    500: "The server failed; nothing internal is disclosed",
    503: "A service the API depends on is unavailable; retry later",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the problems a route may answer (422, 500 and 503 always)."""
    codes = sorted({*statuses, 422, 500, 503})
    return {s: {"model": Problem, "description": _DESCRIPTIONS.get(s, _phrase(s))} for s in codes}


def problems_in_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """FastAPI files every error body under application/json; ours are problem+json."""
    for methods in document.get("paths", {}).values():
        for operation in methods.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                if status[:1] in "45" and schema.get("$ref", "").endswith("/Problem"):
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    return document
