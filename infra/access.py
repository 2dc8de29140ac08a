"""Issue and revoke API tokens, move a pair's stage from the operator's side: events, then the
projection caught up so the token or stage takes effect before the command returns."""

from __future__ import annotations

import getpass
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from infra.context import Context
from processors.sensitive.access import Role, Viewer, token_digest, transition_error
from processors.sensitive.model import Stage
from projections import access_reads, match_reads
from projections.api.match_routes import stage_event
from schemas.models import Meta, TokenEvent, now_utc

TOKEN_PREFIX = "tu_"


@dataclass(frozen=True)
class Issued:
    token: str  # shown once; only its digest is kept
    token_id: str
    viewer: Viewer
    expires_at: datetime | None


def operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def issue_token(ctx: Context, viewer: Viewer, expires_in: timedelta | None = None) -> Issued:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = uuid.uuid4().hex[:16]
    now = now_utc()
    expires = None if expires_in is None else now + expires_in
    event = TokenEvent(
        meta=Meta(
            event_id=uuid.uuid4(), event_type="token.issued", occurred_at=now, producer=ctx.producer_meta
        ),
        token_id=token_id,
        token_sha256=token_digest(token),
        viewer=viewer.viewer,
        role=str(viewer.role),
        profile_id=viewer.profile_id,
        posting_owner=viewer.posting_owner,
        posting_id=viewer.posting_id,
        expires_at=expires,
        issued_by=operator(),
    )
    ctx.producer.send(event)
    ctx.producer.flush()
    ctx.catch_up()
    return Issued(token, token_id, viewer, expires)


def revoke_token(ctx: Context, token_id: str) -> dict[str, object]:
    found = access_reads.token_exists(ctx.endpoints.dsn, token_id)
    if found is None:
        raise LookupError(f"no token with id {token_id!r}")
    if found["revoked_at"] is None:
        ctx.producer.send(
            TokenEvent(
                meta=Meta(
                    event_id=uuid.uuid4(),
                    event_type="token.revoked",
                    occurred_at=now_utc(),
                    producer=ctx.producer_meta,
                ),
                token_id=token_id,
                viewer=found["viewer"],
                role=found["role"],
                issued_by=operator(),
            )
        )
        ctx.producer.flush()
        ctx.catch_up()
    return {"token_id": token_id, "viewer": found["viewer"], "revoked": True}


def set_stage(ctx: Context, profile_id: str, posting_id: str, target: Stage) -> dict[str, str]:
    """The operator records a move it witnessed (as a service): forward only, for a scored pair."""
    dsn = ctx.endpoints.dsn
    if not match_reads.match_exists(dsn, profile_id, posting_id):
        raise LookupError(f"no match for profile {profile_id!r} and posting {posting_id!r}")
    current = access_reads.recorded_stage(dsn, profile_id, posting_id)
    actor = Viewer(viewer=operator(), role=Role.SERVICE)
    why = transition_error(actor, profile_id, posting_id, None, current, target)
    if why is not None:
        raise ValueError(why)
    event = stage_event(actor, profile_id, posting_id, current.name.lower(), target.name.lower(), "cli")
    ctx.producer.send(event)
    ctx.producer.flush()
    ctx.catch_up()
    return {
        "profile_id": profile_id,
        "posting_id": posting_id,
        "from": current.name.lower(),
        "to": target.name.lower(),
        "changed_by": actor.viewer,
        "event_id": str(event.meta.event_id),
    }
