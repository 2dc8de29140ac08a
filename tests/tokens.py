"""Bearer tokens for tests that call the API: issued through the same path as `turing tokens create`."""

from __future__ import annotations

from infra.context import Context
from infra.usecases.access import issue_token
from processors.sensitive.access import Role, Viewer


def bearer(ctx: Context, viewer: str, role: Role | str, **scope: str) -> dict[str, str]:
    issued = issue_token(ctx, Viewer(viewer=viewer, role=Role(role), **scope))
    return {"Authorization": f"Bearer {issued.token}"}
