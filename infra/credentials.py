"""Credentials of the embedded stack: generated at first start, kept in a 0600 file in the data dir.

Nothing the stack starts is open to other local users: PostgreSQL asks for a SCRAM password
and the S3 store for signed requests with these keys.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from pydantic import BaseModel, SecretStr

from infra.filemodes import write_private

CREDENTIALS_FILE = "credentials.json"


class StackCredentials(BaseModel):
    postgres_password: SecretStr
    s3_access_key: str
    s3_secret_key: SecretStr

    @classmethod
    def generate(cls) -> StackCredentials:
        return cls(
            postgres_password=SecretStr(secrets.token_urlsafe(24)),
            s3_access_key="turing-" + secrets.token_hex(6),
            s3_secret_key=SecretStr(secrets.token_urlsafe(30)),
        )


def _serialise(creds: StackCredentials) -> bytes:
    return json.dumps(
        {
            "postgres_password": creds.postgres_password.get_secret_value(),
            "s3_access_key": creds.s3_access_key,
            "s3_secret_key": creds.s3_secret_key.get_secret_value(),
        },
        indent=2,
    ).encode()


def load(data_dir: Path) -> StackCredentials | None:
    path = data_dir / CREDENTIALS_FILE
    if not path.exists():
        return None
    return StackCredentials.model_validate_json(path.read_text())


def load_or_create(data_dir: Path) -> StackCredentials:
    found = load(data_dir)
    if found is not None:
        return found
    creds = StackCredentials.generate()
    write_private(data_dir / CREDENTIALS_FILE, _serialise(creds))
    return creds
