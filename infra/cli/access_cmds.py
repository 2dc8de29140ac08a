"""`turing tokens create|list|revoke`, `turing stage set`, `turing access log`: who may read the API,
where a pair's reveal stage stands, and who read which sensitive field (docs/access.md)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import DataDir, JsonFlag, friendly, open_context, out, print_json
from infra.usecases.access import StageRefused, erase_profile, issue_token, revoke_token, set_stage
from processors.sensitive.access import Role, Viewer
from processors.sensitive.model import Stage
from projections.read import access as access_reads
from schemas.errors import BadInput, NotFound

tokens_app = typer.Typer(help="API bearer tokens: create (printed once), list, revoke.", no_args_is_help=True)
stage_app = typer.Typer(help="The reveal stage of a (profile, posting) pair.", no_args_is_help=True)
access_app = typer.Typer(
    help="The access log: every read of a sensitive field, by viewer.", no_args_is_help=True
)

ROLES = [r.value for r in Role]
STAGES = [s.name.lower() for s in Stage]
_DURATION = re.compile(r"^(\d{1,6})([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _choice(values: list[str]):  # type: ignore[no-untyped-def]
    def check(value: str) -> str:
        if value not in values:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, values))}")
        return value

    return check


def _duration(value: str | None) -> str | None:
    if value is not None and not _DURATION.match(value.strip()):
        raise typer.BadParameter(f"{value!r} is not a duration such as 30m, 12h, 7d or 2w")
    return value


def _delta(value: str | None) -> timedelta | None:
    if value is None:
        return None
    m = _DURATION.match(value.strip())
    assert m is not None  # checked by the option's callback
    amount = int(m.group(1))
    if amount == 0:
        raise BadInput("--expires must be longer than 0")
    return timedelta(**{_UNITS[m.group(2)]: amount})


def _scope(role: Role, profile: str | None, owner: str | None, posting: str | None) -> None:
    if role is Role.CANDIDATE and profile is None:
        raise BadInput("a candidate token needs --profile (the candidate's own profile id)")
    if role is not Role.CANDIDATE and profile is not None:
        raise BadInput("--profile is for candidate tokens only")
    if role is Role.EMPLOYER and owner is None and posting is None:
        raise BadInput("an employer token needs --posting-owner ORG or --posting ID")
    if role is not Role.EMPLOYER and (owner is not None or posting is not None):
        raise BadInput("--posting-owner and --posting are for employer tokens only")


@tokens_app.command("create")
@friendly
def create(
    viewer: str = typer.Option(..., "--viewer", help="Who the token is for (named in the access log)."),
    role: str = typer.Option(..., "--role", callback=_choice(ROLES), help=f"One of {', '.join(ROLES)}."),
    profile: str | None = typer.Option(None, "--profile", help="A candidate's own profile id."),
    posting_owner: str | None = typer.Option(
        None, "--posting-owner", help="An employer's organisation: postings whose company is this."
    ),
    posting: str | None = typer.Option(None, "--posting", help="An employer token for one posting only."),
    expires: str | None = typer.Option(
        None, "--expires", callback=_duration, help="e.g. 12h, 7d; default never."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Issue a bearer token; it is printed once, only its SHA-256 is kept."""
    if not viewer.strip():
        raise BadInput("--viewer must name someone")
    kind = Role(role)
    _scope(kind, profile, posting_owner, posting)
    who = Viewer(
        viewer=viewer.strip(), role=kind, profile_id=profile, posting_owner=posting_owner, posting_id=posting
    )
    lifetime = _delta(expires)
    with open_context(data_dir) as ctx:
        issued = issue_token(ctx, who, lifetime)
    answer = {
        "token": issued.token,
        "token_id": issued.token_id,
        "viewer": who.viewer,
        "role": str(who.role),
        "profile_id": who.profile_id,
        "posting_owner": who.posting_owner,
        "posting_id": who.posting_id,
        "expires_at": issued.expires_at,
    }
    if as_json:
        print_json(answer)
        return
    out.print(f"token for {escape(who.viewer)} ({who.role}), id {issued.token_id} — shown once, keep it:")
    out.print(issued.token, markup=False, highlight=False)


@tokens_app.command("list")
@friendly
def list_(
    viewer: str | None = typer.Option(None, "--viewer", help="Only this viewer's tokens."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Every token's id, viewer, role, scope and state (never the token or its hash)."""
    with open_context(data_dir) as ctx:
        rows = access_reads.list_tokens(ctx.endpoints.dsn, viewer)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"tokens ({len(rows)})")
    for col in ("id", "viewer", "role", "scope", "issued", "expires", "state"):
        table.add_column(col)
    for r in rows:
        scope = r["profile_id"] or r["posting_id"] or r["posting_owner"] or "-"
        state = "revoked" if r["revoked_at"] else "active"
        expires = r["expires_at"].isoformat() if r["expires_at"] else "never"
        table.add_row(r["token_id"], escape(r["viewer"]), r["role"], escape(scope),
                      r["issued_at"].isoformat(), expires, state)  # fmt: skip
    out.print(table)


@tokens_app.command("revoke")
@friendly
def revoke(
    token_id: str = typer.Argument(..., help="The token's id (from `turing tokens list`)."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Revoke a token: the API refuses it from now on (401)."""
    with open_context(data_dir) as ctx:
        try:
            answer = revoke_token(ctx, token_id)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
    if as_json:
        print_json(answer)
    else:
        out.print(f"revoked token {token_id} of {escape(str(answer['viewer']))}")


@stage_app.command("set")
@friendly
def stage_set(
    profile: str = typer.Option(..., "--profile", help="The profile id."),
    posting: str = typer.Option(..., "--posting", help="The posting id."),
    to: str = typer.Option(..., "--to", callback=_choice(STAGES), help=f"One of {', '.join(STAGES)}."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Record that a pair moved forward (as the operator, role service): a `stage.changed` event."""
    with open_context(data_dir) as ctx:
        try:
            answer = set_stage(ctx, profile, posting, Stage[to.upper()])
        except StageRefused as exc:
            # A move out of order is the operator's argument to fix: a usage error.
            raise BadInput(str(exc)) from exc
    if as_json:
        print_json(answer)
    else:
        out.print(f"{escape(profile)} and {escape(posting)}: {answer['from']} → {answer['to']}")


@access_app.command("log")
@friendly
def access_log(
    viewer: str | None = typer.Option(None, "--viewer", help="Only this viewer's reads."),
    profile: str | None = typer.Option(None, "--profile", help="Only reads of this profile's matches."),
    limit: int = typer.Option(1000, "--limit", min=1, max=1_000_000, help="At most this many, newest first."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Reads of sensitive fields, newest first: when, who (viewer and role), which field, stage, shown or not."""
    with open_context(data_dir) as ctx:
        rows = access_reads.access_log(ctx.endpoints.dsn, viewer, profile, limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"access log ({len(rows)})")
    for col in ("when", "viewer", "role", "profile", "posting", "field", "stage", "shown", "purpose"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["occurred_at"].isoformat(), escape(r["viewer"]), r["role"], escape(r["profile_id"] or "-"),
                      escape(r["posting_id"]), r["field"], r["stage"], "yes" if r["revealed"] else "no",
                      r["purpose"])  # fmt: skip
    out.print(table)


profiles_app = typer.Typer(help="Candidate profiles: erasure (GDPR art. 17).", no_args_is_help=True)


@profiles_app.command("erase")
@friendly
def erase(
    profile_id: str = typer.Argument(..., help="The profile to erase."),
    reason: str = typer.Option(..., "--reason", help="Why (the request's reference); kept with the erasure."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Destroy the profile's key (its sealed events become unreadable), withdraw its matches
    downstream and drop it from the projections. Cannot be undone."""
    if not reason.strip():
        raise BadInput("--reason must say why")
    with open_context(data_dir) as ctx:
        try:
            answer = erase_profile(ctx, profile_id, reason.strip())
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
    if as_json:
        print_json(answer)
    elif answer["already"]:
        out.print(f"{escape(profile_id)} was erased already")
    else:
        withdrawn = answer["withdrawn_matches"]
        n = len(withdrawn) if isinstance(withdrawn, list) else 0
        out.print(f"erased {escape(profile_id)}: key destroyed, {n} matches withdrawn")
