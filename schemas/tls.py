"""TLS file settings as librdkafka and the Confluent registry client both name them."""

from __future__ import annotations


def check_client_pair(certificate: str | None, key: str | None) -> None:
    if bool(certificate) != bool(key):
        raise ValueError("a TLS client certificate needs its key, and a key its certificate")


def tls_properties(ca: str | None, certificate: str | None, key: str | None) -> dict[str, str]:
    given = {"ssl.ca.location": ca, "ssl.certificate.location": certificate, "ssl.key.location": key}
    return {name: value for name, value in given.items() if value}
