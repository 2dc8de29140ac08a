"""Bearer tokens for every API route but health: who is asking decides what they may read.

A missing, unknown, revoked or expired token is a 401; a good token asking for what its role
does not cover is a 403 (both problem+json). Tokens are looked up by their SHA-256 only.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from processors.sensitive.access import Viewer
from projections.read import access as access_reads
from schemas.models import now_utc

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="turing"'}
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="`turing tokens create --viewer NAME --role ROLE` prints one; send it as `Authorization: Bearer …`",
)


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers=_CHALLENGE)


def forbidden(detail: str) -> HTTPException:
    return HTTPException(403, detail)


def authenticator(dsn: str) -> Callable[..., Viewer]:
    """A dependency answering the request's viewer, or refusing it with a 401."""

    def current_viewer(credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> Viewer:
        if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
            raise unauthorized("this route needs a bearer token (Authorization: Bearer …)")
        viewer = access_reads.viewer_for(dsn, credentials.credentials, now_utc())
        if viewer is None:
            raise unauthorized("the token is unknown, revoked or expired")
        return viewer

    return current_viewer
