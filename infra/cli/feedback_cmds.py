"""`turing feedback add` and `turing feedback list`: people's verdicts on matches, classified."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import (
    DataDir,
    JsonFlag,
    caught_up_read,
    friendly,
    one_of,
    open_context,
    out,
    print_json,
)
from infra.usecases.feedback import record_feedback
from processors.quality.feedback import COMPONENTS, VERDICTS, check_feedback
from projections.read import quality as quality_reads
from schemas.errors import BadInput

feedback_app = typer.Typer(help="Feedback on matches: 'wrong because X' becomes a learning signal.",
                           no_args_is_help=True)  # fmt: skip


def _component(value: str | None) -> str | None:
    return None if value is None else one_of(COMPONENTS)(value)


@feedback_app.command("add")
@friendly
def add(
    profile: str = typer.Option(..., "--profile", help="The profile id."),
    posting: str = typer.Option(..., "--posting", help="The posting id."),
    verdict: str = typer.Option(..., "--verdict", callback=one_of(VERDICTS), help="right or wrong."),
    reason: str = typer.Option(..., "--reason", help="Why, in your words (classified by rules)."),
    component: str | None = typer.Option(
        None, "--component", callback=_component, help="The score component disputed, e.g. fit.hard_skills."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Say whether the pair's current match is right or wrong, and why."""
    try:
        check_feedback(verdict, reason, component)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    with open_context(data_dir) as ctx:
        row = record_feedback(ctx, profile_id=profile, posting_id=posting, verdict=verdict, reason=reason,
                              component=component, author=getpass.getuser())  # fmt: skip
    if as_json:
        print_json(row)
        return
    out.print(f"feedback {row['event_id']}: {row['verdict']} — {escape(row['category'])} "
              f"({escape(row['component'] or 'no component')}), on match {row['match_event_id']}")  # fmt: skip


@feedback_app.command("list")
@friendly
def list_(
    profile: str | None = typer.Option(None, "--profile", help="Only this profile's feedback."),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000, help="At most this many, newest first."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Feedback given on matches, newest first, with its category and the component it points at."""
    rows = caught_up_read(data_dir, lambda conn, schema: quality_reads.feedback(conn, schema, limit, profile))
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("no feedback yet")
        return
    table = Table(title=f"feedback ({len(rows)})")
    for col in ("given", "profile", "posting", "verdict", "category", "component", "reason"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["given_at"].isoformat(timespec="seconds"), escape(r["profile_id"]), escape(r["posting_id"]),
                      r["verdict"], r["category"], escape(r["component"] or "-"), escape((r["reason"] or "")[:80]))  # fmt: skip
    out.print(table)
