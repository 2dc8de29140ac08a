"""The access part of `turing demo`: tokens, a refused anonymous read, the stage as recorded
state, and the access log naming who read what."""

from __future__ import annotations

import httpx
from rich.table import Table

from infra.cli.common import out
from infra.context import Context
from infra.usecases.access import issue_token, set_stage
from processors.sensitive.access import Role, Viewer
from processors.sensitive.model import Stage
from projections.read import access as access_reads


def walkthrough(ctx: Context, profile_id: str, posting_id: str) -> bool:
    """Read one match over HTTP as its candidate, before and after mutual interest; True when the
    API refused the anonymous read and revealed the post-match field only once the stage allowed it."""
    api = ctx.endpoints.api_url
    if api is None:
        out.print("no API recorded for this stack: skipping the access walkthrough")
        return True
    candidate = issue_token(
        ctx, Viewer(viewer=f"demo-{profile_id}", role=Role.CANDIDATE, profile_id=profile_id)
    )
    out.print(
        f"turing tokens create --viewer demo-{profile_id} --role candidate --profile {profile_id}  "
        f"[dim](token id {candidate.token_id}; only its SHA-256 is stored)[/]"
    )
    start = access_reads.recorded_stage(ctx.endpoints.dsn, profile_id, posting_id)
    url = f"{api}/matches/{profile_id}/{posting_id}"
    headers = {"Authorization": f"Bearer {candidate.token}"}
    with httpx.Client(timeout=30) as http:
        anonymous = http.get(url)
        out.print(f"GET {url} without a token → {anonymous.status_code}")
        asked = http.get(url, params={"stage": "conversation_started"}, headers=headers).json()
        before = asked["posting"].get("salary_min")
        out.print(
            f"as the candidate, asking for ?stage=conversation_started → shown at {asked['stage']}: salary_min {before}"
        )
        for stage in (s for s in (Stage.CANDIDATE_INTERESTED, Stage.MUTUAL_INTEREST) if s > start):
            moved = set_stage(ctx, profile_id, posting_id, stage)
            out.print(f"turing stage set --profile {profile_id} --posting {posting_id} --to {moved['to']}")
        after = http.get(url, headers=headers).json()
        out.print(
            f"after mutual interest → shown at {after['stage']}: salary_min {after['posting'].get('salary_min')}, "
            f"salary_max {after['posting'].get('salary_max')!r} (never shown to candidates)"
        )
    ctx.catch_up()
    table = Table("viewer", "role", "posting", "field", "stage", "shown", title="turing access log (latest)")
    for r in access_reads.access_log(ctx.endpoints.dsn, viewer=candidate.viewer.viewer, limit=6):
        table.add_row(
            r["viewer"], r["role"], r["posting_id"], r["field"], r["stage"], "yes" if r["revealed"] else "no"
        )
    out.print(table)
    # on a stack where the demo ran before, the pair is past discovery already
    narrowed = start is not Stage.DISCOVERY or asked["stage"] == "discovery"
    return anonymous.status_code == 401 and narrowed and after["stage"] == "mutual_interest"
