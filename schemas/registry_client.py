"""How serializers reach a schema registry: one small protocol, two adapters.

`HttpRegistry` speaks the Confluent REST API (our API in the embedded stack, any
Confluent-compatible registry in production). `projections.registry.store.RegistryStore`
satisfies the same protocol directly on Postgres.
"""

from __future__ import annotations

import threading
from typing import Protocol

import httpx

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class SchemaRegistry(Protocol):
    def register(self, subject: str, schema_str: str) -> int: ...

    def schema_by_id(self, schema_id: int) -> str: ...


class RegistryError(RuntimeError):
    def __init__(self, status: int, code: int | None, message: str):
        super().__init__(f"schema registry answered HTTP {status} ({code}): {message}")
        self.status = status
        self.code = code


class UnknownSchemaId(RegistryError, LookupError):
    """The registry has no schema with this id (40403)."""


class HttpRegistry:
    """Confluent REST client with the caches a serializer needs (ids are immutable)."""

    def __init__(self, url: str, timeout: float = 10.0):
        self.url = url.rstrip("/")
        self._client = httpx.Client(base_url=self.url, timeout=timeout, headers={"Accept": CONTENT_TYPE})
        self._ids: dict[tuple[str, str], int] = {}
        self._schemas: dict[int, str] = {}
        self._lock = threading.Lock()

    def register(self, subject: str, schema_str: str) -> int:
        key = (subject, schema_str)
        with self._lock:
            if key in self._ids:
                return self._ids[key]
        body = self._call("POST", f"/subjects/{subject}/versions", json={"schema": schema_str})
        schema_id = int(str(body["id"]))
        with self._lock:
            self._ids[key] = schema_id
            self._schemas[schema_id] = schema_str
        return schema_id

    def schema_by_id(self, schema_id: int) -> str:
        with self._lock:
            if schema_id in self._schemas:
                return self._schemas[schema_id]
        body = self._call("GET", f"/schemas/ids/{schema_id}")
        schema_str = str(body["schema"])
        with self._lock:
            self._schemas[schema_id] = schema_str
        return schema_str

    def _call(self, method: str, path: str, json: object | None = None) -> dict[str, object]:
        try:
            resp = self._client.request(method, path, json=json, headers={"Content-Type": CONTENT_TYPE})
        except httpx.HTTPError as exc:
            raise RegistryError(0, None, f"cannot reach {self.url}: {exc}") from exc
        if resp.status_code >= 400:
            try:
                err = resp.json()
                code, message = err.get("error_code"), err.get("message", resp.text)
            except ValueError:
                code, message = None, resp.text
            cls = UnknownSchemaId if code == 40403 else RegistryError
            raise cls(resp.status_code, code, str(message))
        result: dict[str, object] = resp.json()
        return result

    def close(self) -> None:
        self._client.close()
