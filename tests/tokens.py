"""Bearer tokens for tests that call the API: issued through the same path as `turing tokens create`."""

from __future__ import annotations

from infra.access import issue_token
from infra.context import Context
from processors.sensitive.access import Role, Viewer


def bearer(ctx: Context, viewer: str, role: Role | str, **scope: str) -> dict[str, str]:
    issued = issue_token(ctx, Viewer(viewer=viewer, role=Role(role), **scope))
    return {"Authorization": f"Bearer {issued.token}"}
