"""How serializers reach a schema registry: one small protocol, two adapters.

`ConfluentRegistry` is confluent-kafka's own `SchemaRegistryClient` (basic auth, bearer
tokens, TLS, its caches) behind our protocol: our API in the embedded stack, any
Confluent-compatible registry in production. `infra.registry.store.RegistryStore`
satisfies the same protocol directly on Postgres.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from pydantic import BaseModel, ConfigDict, SecretStr, model_validator

from schemas.errors import RegistryUnavailable
from schemas.tls import check_client_pair, tls_properties


class SchemaRegistry(Protocol):
    def register(self, subject: str, schema_str: str) -> int: ...

    def schema_by_id(self, schema_id: int) -> str: ...


class RegistryError(RegistryUnavailable):
    """The registry refused a request (its HTTP status and Confluent code) or cannot be reached (status 0)."""

    def __init__(self, status: int, code: int | None, message: str):
        super().__init__(f"schema registry answered HTTP {status} ({code}): {message}")
        self.status = status
        self.code = code


class UnknownSchemaId(RegistryError, LookupError):
    """The registry has no schema with this id (40403)."""


class RegistryAuth(BaseModel):
    """Credentials and TLS for the registry; secrets stay `SecretStr` until the client needs them."""

    model_config = ConfigDict(frozen=True)

    username: str | None = None
    password: SecretStr | None = None
    # Confluent Cloud's static bearer token names the logical cluster (and identity pool) it is for.
    bearer_token: SecretStr | None = None
    bearer_logical_cluster: str | None = None
    bearer_identity_pool: str | None = None
    ssl_ca_location: str | None = None
    ssl_certificate_location: str | None = None
    ssl_key_location: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RegistryAuth:
        if bool(self.username) != bool(self.password):
            raise ValueError("registry basic auth needs both a username and a password")
        if self.username and self.bearer_token:
            raise ValueError("give the registry either basic auth or a bearer token, not both")
        if self.bearer_token and not self.bearer_logical_cluster:
            raise ValueError("a registry bearer token needs the logical cluster it is for")
        check_client_pair(self.ssl_certificate_location, self.ssl_key_location)
        return self

    def properties(self) -> dict[str, Any]:
        props: dict[str, Any] = {}
        if self.username and self.password:
            props["basic.auth.user.info"] = f"{self.username}:{self.password.get_secret_value()}"
        if self.bearer_token:
            props["bearer.auth.credentials.source"] = "STATIC_TOKEN"
            props["bearer.auth.token"] = self.bearer_token.get_secret_value()
            props["bearer.auth.logical.cluster"] = self.bearer_logical_cluster
            if self.bearer_identity_pool:
                props["bearer.auth.identity.pool.id"] = self.bearer_identity_pool
        props.update(
            tls_properties(self.ssl_ca_location, self.ssl_certificate_location, self.ssl_key_location)
        )
        return props


class ConfluentRegistry:
    """The Confluent client with our protocol and our errors (ids are immutable: it caches them)."""

    def __init__(self, url: str, auth: RegistryAuth | None = None, timeout: float = 10.0):
        self.url = url.rstrip("/")
        self.conf: dict[str, Any] = {
            "url": self.url,
            "timeout": timeout,
            **(auth or RegistryAuth()).properties(),
        }
        self._client = SchemaRegistryClient(self.conf)

    def register(self, subject: str, schema_str: str) -> int:
        return self._call(lambda: self._client.register_schema(subject, Schema(schema_str, "AVRO")))

    def schema_by_id(self, schema_id: int) -> str:
        schema: Schema = self._call(lambda: self._client.get_schema(schema_id))
        return str(schema.schema_str)

    def _call(self, request: Any) -> Any:
        try:
            return request()
        except SchemaRegistryError as exc:
            cls = UnknownSchemaId if exc.error_code == 40403 else RegistryError
            raise cls(exc.http_status_code, exc.error_code, exc.error_message) from exc
        except httpx.HTTPError as exc:
            raise RegistryError(0, None, f"cannot reach {self.url}: {exc}") from exc

    def close(self) -> None:
        # The client holds an HTTP connection pool; it has no public close on every version.
        rest = getattr(self._client, "_rest_client", None)
        session = getattr(rest, "session", None)
        if session is not None:
            session.close()
