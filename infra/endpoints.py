"""The addresses every component needs: broker, schema registry, database (and the API's, if any).

Settings give them in production; the embedded stack's recorded state gives them otherwise.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel

from schemas.registry_client import RegistryAuth


class Endpoints(BaseModel):
    """The three addresses every component needs."""

    bootstrap_servers: str
    registry_url: str
    dsn: str
    api_url: str | None = None
    registry_auth: RegistryAuth | None = None

    @property
    def printable_dsn(self) -> str:
        """The DSN without its password, for anything a person or a log will read."""
        parts = urlsplit(self.dsn)
        if parts.password is None:
            return self.dsn
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
