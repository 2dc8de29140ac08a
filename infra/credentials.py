"""Credentials of the embedded stack: generated at first start, kept in a 0600 file in the data dir.

Nothing the stack starts is open to other local users: PostgreSQL asks for a SCRAM password
and the S3 store for signed requests with these keys.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr

from infra.filemodes import write_private

CREDENTIALS_FILE = "credentials.json"


REGISTRY_USER = "turing-service"


def _secret() -> SecretStr:
    return SecretStr(secrets.token_urlsafe(24))


class StackCredentials(BaseModel):
    postgres_password: SecretStr = Field(default_factory=_secret)
    s3_access_key: str = Field(default_factory=lambda: "turing-" + secrets.token_hex(6))
    s3_secret_key: SecretStr = Field(default_factory=_secret)
    # The embedded schema registry answers only the stack's own clients (HTTP basic auth).
    registry_username: str = REGISTRY_USER
    registry_password: SecretStr = Field(default_factory=_secret)

    @classmethod
    def generate(cls) -> StackCredentials:
        return cls()


def _serialise(creds: StackCredentials) -> bytes:
    return json.dumps(
        {
            "postgres_password": creds.postgres_password.get_secret_value(),
            "s3_access_key": creds.s3_access_key,
            "s3_secret_key": creds.s3_secret_key.get_secret_value(),
            "registry_username": creds.registry_username,
            "registry_password": creds.registry_password.get_secret_value(),
        },
        indent=2,
    ).encode()


def load(data_dir: Path) -> StackCredentials | None:
    path = data_dir / CREDENTIALS_FILE
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    creds = StackCredentials.model_validate(raw)
    if set(StackCredentials.model_fields) - set(raw):
        # A file from an older release: the new secrets are generated once and kept.
        write_private(path, _serialise(creds))
    return creds


def load_or_create(data_dir: Path) -> StackCredentials:
    found = load(data_dir)
    if found is not None:
        return found
    creds = StackCredentials.generate()
    write_private(data_dir / CREDENTIALS_FILE, _serialise(creds))
    return creds
