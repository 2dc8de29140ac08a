"""How every Kafka client of the project authenticates: TLS and SASL, set once per cluster.

The wiring (settings) calls `use(bootstrap, security)` once per process; the producer,
consumer and admin configs (`streams.quirks`, `streams.admin`) add `client_properties` for
the cluster they talk to. Keyed by the bootstrap address, so a process that talks to two
clusters (a replay from one into another) keeps their credentials apart, and the many call
sites that pass a bootstrap string need no second argument.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr, model_validator

from schemas.tls import check_client_pair, tls_properties

Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"]


class KafkaSecurity(BaseModel):
    """librdkafka's security settings, validated before any client sees them."""

    model_config = ConfigDict(frozen=True)

    protocol: Protocol = "PLAINTEXT"
    sasl_mechanism: Mechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    # OAUTHBEARER through OIDC client credentials (librdkafka fetches and refreshes the token).
    oauth_token_url: str | None = None
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    oauth_scope: str | None = None
    ssl_ca_location: str | None = None
    ssl_certificate_location: str | None = None
    ssl_key_location: str | None = None
    ssl_key_password: SecretStr | None = None

    @model_validator(mode="after")
    def _consistent(self) -> KafkaSecurity:
        sasl = self.protocol.startswith("SASL_")
        if sasl and self.sasl_mechanism is None:
            raise ValueError(f"security protocol {self.protocol} needs a SASL mechanism")
        if not sasl and self.sasl_mechanism is not None:
            raise ValueError(
                f"SASL mechanism {self.sasl_mechanism} needs protocol SASL_SSL or SASL_PLAINTEXT"
            )
        if self.sasl_mechanism in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512") and not (
            self.sasl_username and self.sasl_password
        ):
            raise ValueError(f"SASL {self.sasl_mechanism} needs a username and a password")
        if self.sasl_mechanism == "OAUTHBEARER" and not (
            self.oauth_token_url and self.oauth_client_id and self.oauth_client_secret
        ):
            raise ValueError("SASL OAUTHBEARER needs a token URL, a client id and a client secret")
        check_client_pair(self.ssl_certificate_location, self.ssl_key_location)
        return self

    def properties(self) -> dict[str, Any]:
        props: dict[str, Any] = {"security.protocol": self.protocol}
        if self.sasl_mechanism:
            props["sasl.mechanism"] = self.sasl_mechanism
        if self.sasl_username:
            props["sasl.username"] = self.sasl_username
        if self.sasl_password:
            props["sasl.password"] = self.sasl_password.get_secret_value()
        if self.sasl_mechanism == "OAUTHBEARER":
            assert self.oauth_client_secret is not None
            props["sasl.oauthbearer.method"] = "oidc"
            props["sasl.oauthbearer.token.endpoint.url"] = self.oauth_token_url
            props["sasl.oauthbearer.client.id"] = self.oauth_client_id
            props["sasl.oauthbearer.client.secret"] = self.oauth_client_secret.get_secret_value()
            if self.oauth_scope:
                props["sasl.oauthbearer.scope"] = self.oauth_scope
        props.update(
            tls_properties(self.ssl_ca_location, self.ssl_certificate_location, self.ssl_key_location)
        )
        if self.ssl_key_password:
            props["ssl.key.password"] = self.ssl_key_password.get_secret_value()
        return props


_by_cluster: dict[str, KafkaSecurity] = {}
_lock = threading.Lock()


def use(bootstrap: str, security: KafkaSecurity) -> None:
    """Every client this process makes for `bootstrap` from now on authenticates this way."""
    with _lock:
        _by_cluster[bootstrap] = security


def client_properties(bootstrap: str) -> dict[str, Any]:
    with _lock:
        security = _by_cluster.get(bootstrap)
    return security.properties() if security is not None else {}
