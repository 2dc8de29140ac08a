"""Secure connection settings reach every client, from one place, and no secret is ever printed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import certifi
import pytest

from infra.settings import Settings
from schemas.errors import ConfigError
from schemas.registry_client import ConfluentRegistry
from streams import admin, quirks

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "TURING_BOOTSTRAP_SERVERS": "kafka-1.example:9093",
    "TURING_REGISTRY_URL": "https://registry.example",
    "TURING_DSN": "postgresql://turing@db.example:5432/turing",
}


@pytest.fixture()
def secure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    monkeypatch.chdir(tmp_path)
    # The clients read their CA files at construction: any valid bundle will do.
    (tmp_path / "certs").mkdir()
    shutil.copy(certifi.where(), tmp_path / "certs" / "ca.pem")
    for key in [k for k in __import__("os").environ if k.startswith("TURING_")]:
        monkeypatch.delenv(key)
    for key, value in {
        **PRODUCTION,
        "TURING_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "TURING_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "TURING_KAFKA_SASL_USERNAME": "turing",
        "TURING_KAFKA_SASL_PASSWORD": "kafka-secret-1",
        "TURING_KAFKA_SSL_CA_LOCATION": "certs/ca.pem",
        "TURING_REGISTRY_USERNAME": "sr-key",
        "TURING_REGISTRY_PASSWORD": "registry-secret-2",
        "TURING_REGISTRY_SSL_CA_LOCATION": "certs/ca.pem",
        "TURING_PG_SSLMODE": "verify-full",
        "TURING_PG_SSLROOTCERT": "certs/pg-ca.pem",
    }.items():
        monkeypatch.setenv(key, value)
    return Settings.load()


def test_kafka_security_reaches_producer_consumer_and_admin(
    secure: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoints = secure.endpoints()
    bootstrap = endpoints.bootstrap_servers
    expected = {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "turing",
        "sasl.password": "kafka-secret-1",
        "ssl.ca.location": str(tmp_path / "certs" / "ca.pem"),
    }
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(admin, "AdminClient", lambda conf: seen.append(conf) or conf)
    admin.admin_client(bootstrap)
    for config in (
        quirks.producer_config(bootstrap, "p"),
        quirks.consumer_config(bootstrap, "group", "c"),
        quirks.consumer_config(bootstrap, None, "assign-only"),
        seen[0],
    ):
        assert expected.items() <= config.items()
        assert config["bootstrap.servers"] == bootstrap
    # Another cluster in the same process keeps its own (here: no) credentials.
    assert "sasl.password" not in quirks.producer_config("127.0.0.1:9092", "other")


def test_registry_auth_and_tls_reach_the_confluent_client(secure: Settings, tmp_path: Path) -> None:
    endpoints = secure.endpoints()
    registry = ConfluentRegistry(endpoints.registry_url, endpoints.registry_auth)
    assert registry.conf["basic.auth.user.info"] == "sr-key:registry-secret-2"
    assert registry.conf["ssl.ca.location"] == str(tmp_path / "certs" / "ca.pem")


def test_postgres_tls_is_added_to_the_dsn(secure: Settings, tmp_path: Path) -> None:
    dsn = secure.endpoints().dsn
    assert dsn.startswith("postgresql://turing@db.example:5432/turing?")
    assert "sslmode=verify-full" in dsn and "sslrootcert=" in dsn
    assert str(tmp_path / "certs" / "pg-ca.pem").replace("/", "%2F") in dsn


def test_secrets_never_show_in_settings_dumps_or_reprs(secure: Settings) -> None:
    endpoints = secure.endpoints()
    for text in (repr(secure), str(secure), secure.model_dump_json(), repr(endpoints), str(endpoints)):
        assert "kafka-secret-1" not in text and "registry-secret-2" not in text


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"TURING_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "needs a SASL mechanism"),
        (
            {"TURING_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "TURING_KAFKA_SASL_MECHANISM": "PLAIN"},
            "needs a username and a password",
        ),
        (
            {"TURING_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "TURING_KAFKA_SASL_MECHANISM": "OAUTHBEARER"},
            "token URL",
        ),
        ({"TURING_KAFKA_SECURITY_PROTOCOL": "TLS"}, "kafka_security_protocol"),
        ({"TURING_REGISTRY_USERNAME": "only-a-name"}, "username and a password"),
        ({"TURING_PG_SSLMODE": "sometimes"}, "pg_sslmode"),
    ],
)
def test_inconsistent_security_settings_are_a_clear_config_error(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], complaint: str
) -> None:
    for key, value in {**PRODUCTION, **env}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=re.escape(complaint)):
        Settings.load().endpoints()


def test_every_setting_the_deployment_files_name_exists() -> None:
    names = set()
    for path in (ROOT / "infra" / "deploy").rglob("*"):
        if path.is_file() and path.suffix in {".yaml", ".yml", ".example", ".env", ".sh", ""}:
            names |= set(re.findall(r"\bTURING_([A-Z0-9_]+)\b", path.read_text(errors="ignore")))
    assert names, "the deployment files name no settings"
    # TURING_IMAGE is compose's own interpolation variable (which image to run), not a setting.
    known = {name.upper() for name in Settings.model_fields} | {"CONFIG", "IMAGE"}
    assert names <= known, sorted(names - known)
