"""Secure connections to production services: Kafka TLS/SASL, registry auth/TLS, Postgres TLS.

Flat settings, like `bootstrap_servers`, so each has one environment variable
(`TURING_KAFKA_SASL_PASSWORD`, `TURING_REGISTRY_PASSWORD`, `TURING_PG_SSLMODE`, ...) and one
TOML key. Secrets are `SecretStr`: a settings dump, repr or log line shows `**********`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from schemas.registry_client import RegistryAuth
from streams.security import KafkaSecurity, Mechanism, Protocol

SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
_FILES = (
    "kafka_ssl_ca_location",
    "kafka_ssl_certificate_location",
    "kafka_ssl_key_location",
    "registry_ssl_ca_location",
    "registry_ssl_certificate_location",
    "registry_ssl_key_location",
    "pg_sslrootcert",
    "pg_sslcert",
    "pg_sslkey",
)


def text(path: Path | None) -> str | None:
    return str(path) if path is not None else None


class ConnectionSettings(BaseSettings):
    kafka_security_protocol: Protocol = Field(default="PLAINTEXT", description="Kafka security.protocol")
    kafka_sasl_mechanism: Mechanism | None = Field(
        default=None, description="PLAIN, SCRAM-SHA-256/512, OAUTHBEARER"
    )
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_oauth_token_url: str | None = Field(default=None, description="OIDC token endpoint (OAUTHBEARER)")
    kafka_oauth_client_id: str | None = None
    kafka_oauth_client_secret: SecretStr | None = None
    kafka_oauth_scope: str | None = None
    kafka_ssl_ca_location: Path | None = Field(default=None, description="CA bundle for the brokers' TLS")
    kafka_ssl_certificate_location: Path | None = Field(default=None, description="client certificate (mTLS)")
    kafka_ssl_key_location: Path | None = None
    kafka_ssl_key_password: SecretStr | None = None
    registry_username: str | None = Field(default=None, description="registry basic auth (API key)")
    registry_password: SecretStr | None = None
    registry_bearer_token: SecretStr | None = None
    registry_bearer_logical_cluster: str | None = None
    registry_bearer_identity_pool: str | None = None
    registry_ssl_ca_location: Path | None = None
    registry_ssl_certificate_location: Path | None = None
    registry_ssl_key_location: Path | None = None
    pg_sslmode: SslMode | None = Field(
        default=None, description="PostgreSQL sslmode (verify-full for production)"
    )
    pg_sslrootcert: Path | None = None
    pg_sslcert: Path | None = None
    pg_sslkey: Path | None = None

    @field_validator(*_FILES)
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        # Resolved once, here: the clients may run with another working directory.
        return value.expanduser().resolve() if value is not None else None

    def kafka_security(self) -> KafkaSecurity:
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            sasl_username=self.kafka_sasl_username,
            sasl_password=self.kafka_sasl_password,
            oauth_token_url=self.kafka_oauth_token_url,
            oauth_client_id=self.kafka_oauth_client_id,
            oauth_client_secret=self.kafka_oauth_client_secret,
            oauth_scope=self.kafka_oauth_scope,
            ssl_ca_location=text(self.kafka_ssl_ca_location),
            ssl_certificate_location=text(self.kafka_ssl_certificate_location),
            ssl_key_location=text(self.kafka_ssl_key_location),
            ssl_key_password=self.kafka_ssl_key_password,
        )

    def registry_auth(self) -> RegistryAuth:
        return RegistryAuth(
            username=self.registry_username,
            password=self.registry_password,
            bearer_token=self.registry_bearer_token,
            bearer_logical_cluster=self.registry_bearer_logical_cluster,
            bearer_identity_pool=self.registry_bearer_identity_pool,
            ssl_ca_location=text(self.registry_ssl_ca_location),
            ssl_certificate_location=text(self.registry_ssl_certificate_location),
            ssl_key_location=text(self.registry_ssl_key_location),
        )

    def secure_dsn(self, dsn: str) -> str:
        """The DSN with the TLS settings as libpq parameters (settings win over the DSN's own)."""
        given: dict[str, object] = {
            "sslmode": self.pg_sslmode,
            "sslrootcert": self.pg_sslrootcert,
            "sslcert": self.pg_sslcert,
            "sslkey": self.pg_sslkey,
        }
        extra = {k: str(v) for k, v in given.items() if v is not None}
        if not extra:
            return dsn
        parts = urlsplit(dsn)
        if parts.scheme not in ("postgresql", "postgres"):
            # A key=value DSN: libpq takes the parameters appended.
            return dsn + "".join(f" {k}={v}" for k, v in extra.items())
        query = dict(parse_qsl(parts.query))
        query.update(extra)
        return urlunsplit(parts._replace(query=urlencode(query)))
