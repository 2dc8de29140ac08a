"""Issue and revoke API tokens, move a pair's stage from the operator's side, erase a profile:
events, then the projection caught up so each takes effect before the command returns."""

from __future__ import annotations

import getpass
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from infra.context import Context
from processors.sensitive.access import Role, Viewer, token_digest, transition_error
from processors.sensitive.model import Stage
from projections.read import access as access_reads
from projections.read import matches as match_reads
from projections.stores.keys import PostgresKeyStore
from projections.write.matches import WITHDRAWN
from schemas.errors import Conflict, NotFound
from schemas.models import (
    ErasureEvent,
    MatchEvent,
    Producer,
    StageEvent,
    TokenEvent,
    deterministic_id,
    event_meta,
    now_utc,
)
from streams.producer import EventProducer

TOKEN_PREFIX = "tu_"
# Stage changes have always carried the API's producer, whichever front end asked for them.
STAGES = Producer(component="api", version="1")


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
        meta=event_meta("token.issued", ctx.producer_meta, occurred_at=now),
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
                meta=event_meta("token.revoked", ctx.producer_meta),
                token_id=token_id,
                viewer=found["viewer"],
                role=found["role"],
                issued_by=operator(),
            )
        )
        ctx.producer.flush()
        ctx.catch_up()
    return {"token_id": token_id, "viewer": found["viewer"], "revoked": True}


class StageRefused(Conflict):
    """The move is not allowed from the pair's current stage, or not for this actor."""


@dataclass(frozen=True, kw_only=True)
class StageMoved:
    profile_id: str
    posting_id: str
    before: str
    after: str
    changed_by: str
    event_id: str


def stage_event(
    viewer: Viewer, profile_id: str, posting_id: str, before: str, after: str, channel: str
) -> StageEvent:
    return StageEvent(
        meta=event_meta("stage.changed", STAGES, correlation_id=viewer.viewer),
        profile_id=profile_id,
        posting_id=posting_id,
        from_stage=before,
        to_stage=after,
        actor=viewer.viewer,
        actor_role=str(viewer.role),
        channel=channel,
    )


def move_stage(
    dsn: str,
    sink: EventProducer,
    actor: Viewer,
    profile_id: str,
    posting_id: str,
    target: Stage,
    *,
    company: str | None,
    channel: str,
) -> StageMoved:
    """Move a scored pair's reveal stage (a `stage.changed` event, emitted and flushed).

    NotFound when the pair has no match; StageRefused when the move is out of order or not
    this actor's to make (`company` is the posting's, for an employer's reach).
    """
    if not match_reads.match_exists(dsn, profile_id, posting_id):
        raise NotFound(f"no match for profile {profile_id!r} and posting {posting_id!r}")
    current = access_reads.recorded_stage(dsn, profile_id, posting_id)
    why = transition_error(actor, profile_id, posting_id, company, current, target)
    if why is not None:
        raise StageRefused(why)
    event = stage_event(actor, profile_id, posting_id, current.name.lower(), target.name.lower(), channel)
    sink.send(event)
    sink.flush()
    return StageMoved(
        profile_id=profile_id, posting_id=posting_id, before=current.name.lower(), after=target.name.lower(),
        changed_by=actor.viewer, event_id=str(event.meta.event_id),
    )  # fmt: skip


def set_stage(ctx: Context, profile_id: str, posting_id: str, target: Stage) -> dict[str, str]:
    """The operator records a move it witnessed (as a service): forward only, for a scored pair."""
    actor = Viewer(viewer=operator(), role=Role.SERVICE)
    moved = move_stage(
        ctx.endpoints.dsn, ctx.producer, actor, profile_id, posting_id, target, company=None, channel="cli"
    )
    ctx.catch_up()
    return {
        "profile_id": profile_id,
        "posting_id": posting_id,
        "from": moved.before,
        "to": moved.after,
        "changed_by": moved.changed_by,
        "event_id": moved.event_id,
    }


def erase_profile(ctx: Context, profile_id: str, reason: str) -> dict[str, object]:
    """GDPR art. 17 by crypto-shredding: destroy the profile's key (every sealed copy in the log
    becomes unreadable), withdraw its matches downstream (`match.withdrawn` on the matches topic),
    and record the erasure; the projections drop the profile's rows."""
    dsn = ctx.endpoints.dsn
    state = access_reads.erasure_state(dsn, profile_id, ctx.schema)
    if state.erased_at is not None:
        return {"profile_id": profile_id, "erased": True, "already": True, "withdrawn_matches": []}
    if not state.known:
        raise LookupError(f"no profile with id {profile_id!r}")
    # The key goes first: from here on nothing can read the profile's events, whatever follows.
    PostgresKeyStore(dsn).destroy(profile_id)
    now = now_utc()
    for posting_id, event_id in state.matches:
        ctx.producer.send(_withdrawn(ctx, profile_id, posting_id, event_id, now))
    erased = ErasureEvent(
        meta=event_meta("profile.erased", ctx.producer_meta, occurred_at=now),
        profile_id=profile_id,
        reason=reason,
        requested_by=operator(),
        withdrawn_matches=[posting_id for posting_id, _ in state.matches],
    )
    ctx.producer.send(erased)
    ctx.producer.flush()
    ctx.catch_up()
    return {
        "profile_id": profile_id,
        "erased": True,
        "already": False,
        "event_id": str(erased.meta.event_id),
        "withdrawn_matches": erased.withdrawn_matches,
    }


def _withdrawn(ctx: Context, profile_id: str, posting_id: str, supersedes: str, now: datetime) -> MatchEvent:
    return MatchEvent(
        meta=event_meta(
            WITHDRAWN,
            ctx.producer_meta,
            event_id=deterministic_id("match.withdrawn", profile_id, posting_id, supersedes),
            occurred_at=now,
            causation_id=supersedes,
            correlation_id=profile_id,
        ),
        profile_id=profile_id,
        posting_id=posting_id,
        profile_version=0,
        derivation_version=0,
        fit_total=0.0,
        stretch_total=0.0,
        recommendation="withdrawn",
        detail="{}",
        supersedes=supersedes,
        blocked=True,
    )
