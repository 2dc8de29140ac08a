"""The subset of the Confluent Schema Registry REST API that serializers and our tools use.

Bodies are read by hand rather than through pydantic models so that every failure, malformed
bodies included, is answered in Confluent's `{"error_code", "message"}` shape.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from infra.api.guards import has_control_chars
from infra.api.registry_models import (
    CONFIG_REQUEST,
    SCHEMA_REQUEST,
    CompatibilityLevel,
    CompatibilityResult,
    CompatibilitySet,
    ErrorBody,
    RegisteredSchema,
    SchemaId,
    SchemaText,
    SubjectVersion,
)
from infra.registry.store import (
    SCHEMA_TYPE,
    IncompatibleSchema,
    InvalidCompatibilityLevel,
    InvalidSchema,
    RegisteredVersion,
    RegistryError,
    RegistryStore,
    SchemaNotFound,
    SubjectNotFound,
    Version,
    VersionNotFound,
)

MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"

T = TypeVar("T")


class SchemaRegistryResponse(JSONResponse):
    media_type = MEDIA_TYPE


class _InvalidVersion(RegistryError):
    pass


class _BadRequest(RegistryError):
    pass


class _InvalidSubject(RegistryError):
    pass


class _Unprocessable(RegistryError):
    pass


class _Internal(RegistryError):
    pass


# (HTTP status, Confluent error_code) per failure
_ERRORS: dict[type[RegistryError], tuple[int, int]] = {
    SubjectNotFound: (404, 40401),
    VersionNotFound: (404, 40402),
    SchemaNotFound: (404, 40403),
    IncompatibleSchema: (409, 409),
    InvalidSchema: (422, 42201),
    _InvalidVersion: (422, 42202),
    InvalidCompatibilityLevel: (422, 42203),
    _InvalidSubject: (422, 42208),
    _Unprocessable: (422, 422),
    _BadRequest: (400, 400),
    _Internal: (500, 50001),
}
log = logging.getLogger("turing.registry")


def _error(exc: RegistryError) -> SchemaRegistryResponse:
    status, code = next((pair for kind, pair in _ERRORS.items() if isinstance(exc, kind)), (500, 50001))
    return SchemaRegistryResponse({"error_code": code, "message": str(exc)}, status_code=status)


async def _call(fn: Callable[..., T], *args: Any) -> T:
    # the store is synchronous (psycopg); keep it off the event loop
    try:
        return await run_in_threadpool(fn, *args)
    except RecursionError:
        # only a schema's own nesting recurses this deep (json and fastavro both walk it)
        raise InvalidSchema("Invalid schema: nested too deeply to parse") from None


def _authorised(request: Request, users: Mapping[str, str]) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(token, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    expected = users.get(user)
    # Compared in constant time, and a missing user costs the same as a wrong password.
    return hmac.compare_digest(password.encode(), (expected or "\0").encode()) and expected is not None


def _unauthorised() -> SchemaRegistryResponse:
    return SchemaRegistryResponse(
        {"error_code": 40101, "message": "Unauthorized: this registry needs HTTP basic credentials"},
        status_code=401,
        headers={"WWW-Authenticate": 'Basic realm="turing-registry"'},
    )


class _RegistryRoute(APIRoute):
    """Every failure of a registry route, bad paths and bugs included, in Confluent's shape."""

    users: Mapping[str, str] | None = None

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        users = self.users

        async def guarded(request: Request) -> Response:
            if users is not None and not _authorised(request, users):
                return _unauthorised()
            for name, value in request.path_params.items():
                if isinstance(value, str) and has_control_chars(value):
                    kind = _InvalidVersion if name == "version" else _InvalidSubject
                    return _error(kind(f"The specified {name} is not valid: it holds control characters"))
            try:
                return await handler(request)
            except RequestValidationError as exc:
                where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                return _error(_Unprocessable(f"Invalid request: {where}"))
            except RegistryError as exc:
                return _error(exc)
            except Exception:
                log.exception("registry request %s %s failed", request.method, request.url.path)
                return _error(_Internal("Error in the backend datastore"))

        return guarded


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw) if raw else {}
    except json.JSONDecodeError as exc:
        raise _BadRequest(f"Request body is not JSON: {exc}") from exc
    except RecursionError:
        raise _BadRequest("Request body nests too deeply to parse") from None
    if not isinstance(body, dict):
        raise _BadRequest("Request body must be a JSON object")
    return body


async def _schema_from(request: Request) -> str:
    body = await _body(request)
    schema_type = body.get("schemaType") or SCHEMA_TYPE
    if schema_type != SCHEMA_TYPE:
        raise InvalidSchema(f"Unsupported schemaType {schema_type!r}: this registry serves AVRO")
    if body.get("references"):
        raise InvalidSchema("Schema references are not supported by this registry")
    schema = body.get("schema")
    if not isinstance(schema, str):
        raise InvalidSchema("Request body needs a 'schema' string")
    return schema


def _version(raw: str) -> Version:
    if raw == "latest":
        return "latest"
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1 and number != -1:
        raise _InvalidVersion(
            f"The specified version '{raw}' is not a valid version id. "
            'Allowed values are between [1, 2^31-1] and the string "latest"'
        )
    return number


def _flag(value: str | None) -> bool:
    # the Python client sends booleans as "True"/"False"
    return value is not None and value.lower() == "true"


def _registered(v: RegisteredVersion) -> dict[str, Any]:
    return {"subject": v.subject, "version": v.version, "id": v.id, "schema": v.schema}


def registry_router(store: RegistryStore, users: Mapping[str, str] | None = None) -> APIRouter:
    """The registry routes; with `users` (name -> password) every request needs HTTP basic auth."""

    class Route(_RegistryRoute):
        pass

    Route.users = dict(users) if users is not None else None
    router = APIRouter(
        tags=["schema registry"],
        default_response_class=SchemaRegistryResponse,
        route_class=Route,
        responses={
            401: {"model": ErrorBody, "description": "40101: no or wrong credentials"},
            404: {"model": ErrorBody, "description": "40401 subject, 40402 version, 40403 schema not found"},
            409: {"model": ErrorBody, "description": "409: incompatible schema"},
            422: {"model": ErrorBody, "description": "42201 invalid schema, 42202 version, 42208 subject"},
            500: {"model": ErrorBody, "description": "50001: the store failed"},
        },
    )

    @router.post("/subjects/{subject}/versions", response_model=SchemaId, openapi_extra=SCHEMA_REQUEST)
    async def register(subject: str, request: Request) -> Response:
        try:
            schema = await _schema_from(request)
            schema_id = await _call(store.register, subject, schema)
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse({"id": schema_id})

    @router.post("/subjects/{subject}", response_model=RegisteredSchema, openapi_extra=SCHEMA_REQUEST)
    async def lookup(subject: str, request: Request) -> Response:
        try:
            schema = await _schema_from(request)
            found = await _call(store.lookup, subject, schema)
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse(_registered(found))

    @router.get("/subjects", response_model=list[str])
    async def subjects(
        prefix: Annotated[str | None, Query(alias="subjectPrefix")] = None,
    ) -> Response:
        names = await _call(store.subjects)
        if prefix:
            names = [n for n in names if n.startswith(prefix)]
        return SchemaRegistryResponse(names)

    @router.get("/subjects/{subject}/versions", response_model=list[int])
    async def versions(subject: str) -> Response:
        try:
            return SchemaRegistryResponse(await _call(store.versions, subject))
        except RegistryError as exc:
            return _error(exc)

    @router.get("/subjects/{subject}/versions/{version}", response_model=RegisteredSchema)
    async def version(subject: str, version: str) -> Response:
        try:
            found = await _call(store.version, subject, _version(version))
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse(_registered(found))

    @router.get("/subjects/{subject}/versions/{version}/schema", response_model=str)
    async def version_schema(subject: str, version: str) -> Response:
        try:
            found = await _call(store.version, subject, _version(version))
        except RegistryError as exc:
            return _error(exc)
        # the raw schema, not wrapped in an object
        return Response(found.schema, media_type=MEDIA_TYPE)

    @router.get("/schemas/types", response_model=list[str])
    async def schema_types() -> Response:
        return SchemaRegistryResponse([SCHEMA_TYPE])

    @router.get("/schemas/ids/{schema_id}", response_model=SchemaText)
    async def schema_by_id(schema_id: int) -> Response:
        try:
            schema = await _call(store.schema_by_id, schema_id)
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse({"schema": schema})

    @router.get("/schemas/ids/{schema_id}/schema", response_model=str)
    async def raw_schema_by_id(schema_id: int) -> Response:
        try:
            schema = await _call(store.schema_by_id, schema_id)
        except RegistryError as exc:
            return _error(exc)
        return Response(schema, media_type=MEDIA_TYPE)

    @router.get("/schemas/ids/{schema_id}/subjects", response_model=list[str])
    async def schema_subjects(schema_id: int) -> Response:
        try:
            used = await _call(store.usages, schema_id)
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse(sorted({v.subject for v in used}))

    @router.get("/schemas/ids/{schema_id}/versions", response_model=list[SubjectVersion])
    async def schema_versions(schema_id: int) -> Response:
        try:
            used = await _call(store.usages, schema_id)
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse([{"subject": v.subject, "version": v.version} for v in used])

    async def compatibility(
        subject: str, version: Version | None, request: Request, verbose: str | None
    ) -> Response:
        try:
            schema = await _schema_from(request)
            messages = await _call(store.test_compatibility, subject, schema, version)
        except RegistryError as exc:
            return _error(exc)
        result: dict[str, Any] = {"is_compatible": not messages}
        if _flag(verbose):
            result["messages"] = messages
        return SchemaRegistryResponse(result)

    @router.post(
        "/compatibility/subjects/{subject}/versions/{version}",
        response_model=CompatibilityResult,
        openapi_extra=SCHEMA_REQUEST,
    )
    async def compatible_with_version(
        subject: str, version: str, request: Request, verbose: str | None = None
    ) -> Response:
        try:
            parsed = _version(version)
        except RegistryError as exc:
            return _error(exc)
        return await compatibility(subject, parsed, request, verbose)

    @router.post(
        "/compatibility/subjects/{subject}/versions",
        response_model=CompatibilityResult,
        openapi_extra=SCHEMA_REQUEST,
    )
    async def compatible_with_all(subject: str, request: Request, verbose: str | None = None) -> Response:
        return await compatibility(subject, None, request, verbose)

    async def read_config(subject: str | None) -> Response:
        level = await _call(store.get_config, subject)
        return SchemaRegistryResponse({"compatibilityLevel": level})

    async def write_config(subject: str | None, request: Request) -> Response:
        try:
            body = await _body(request)
            level = await _call(store.set_config, subject, body.get("compatibility"))
        except RegistryError as exc:
            return _error(exc)
        return SchemaRegistryResponse({"compatibility": level})

    @router.get("/config", response_model=CompatibilityLevel)
    async def global_config() -> Response:
        return await read_config(None)

    @router.put("/config", response_model=CompatibilitySet, openapi_extra=CONFIG_REQUEST)
    async def set_global_config(request: Request) -> Response:
        return await write_config(None, request)

    @router.get("/config/{subject}", response_model=CompatibilityLevel)
    async def subject_config(subject: str) -> Response:
        return await read_config(subject)

    @router.put("/config/{subject}", response_model=CompatibilitySet, openapi_extra=CONFIG_REQUEST)
    async def set_subject_config(subject: str, request: Request) -> Response:
        return await write_config(subject, request)

    return router
