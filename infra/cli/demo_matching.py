"""The matching part of `turing demo`: profiles in, ranked explained matches out, a traced fit score."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table

from infra.cli.common import console
from infra.context import Context
from infra.usecases.ingest_profiles import ingest_profiles
from processors.sensitive.model import Stage
from projections import db
from projections.read import matches as match_reads


def ingest_and_wait(ctx: Context, path: Path, timeout: float = 300.0) -> dict[str, int]:
    result = ingest_profiles(ctx, path.name, path.read_bytes())
    deadline = time.monotonic() + timeout
    last, steady_since = -1, time.monotonic()
    with console.status("the matcher is scoring candidates…") as st:
        while time.monotonic() < deadline:
            ctx.catch_up()
            with db.connect(ctx.endpoints.dsn) as conn:
                row = conn.execute(
                    "SELECT count(DISTINCT profile_id) AS profiles, count(*) AS matches FROM proj.matches"
                ).fetchone()
            counts = {"profiles": int(row["profiles"]), "matches": int(row["matches"])} if row else {}
            st.update(f"matches so far: {counts.get('matches', 0)} for {counts.get('profiles', 0)} profiles")
            if counts.get("matches", 0) != last:
                last, steady_since = counts.get("matches", 0), time.monotonic()
            elif last > 0 and time.monotonic() - steady_since >= 3:
                # The matcher handles a batch of profile events at once: no new match for 3 s means done.
                return {**result.summary(), **counts}
            time.sleep(0.5)
    raise TimeoutError("the matcher produced no matches in time; see the stack's logs/worker.log")


def ranked_table(ctx: Context, profile_id: str, limit: int = 5) -> Table:
    ranked, _ = match_reads.ranked_matches(ctx.endpoints.dsn, profile_id, Stage.DISCOVERY, limit)
    table = Table(
        "#", "posting", "fit", "stretch", "practical", "verdict", "why", title=f"matches for {profile_id}"
    )
    for m in ranked:
        strengths = m["explanation"].get("strengths") or [""]
        gaps = m["explanation"].get("gaps") or [""]
        table.add_row(
            str(m["rank"]),
            f"{m['posting']['title'][:34]}\n[dim]{m['posting']['company'][:34]}[/]",
            f"{m['fit']['total']:.0f} {m['fit']['label']}",
            f"{m['stretch']['total']:.0f} {m['stretch']['label']}",
            f"{m['practical']['total']:.0f}" if m["practical"]["total"] is not None else "-",
            m["recommendation"],
            f"[green]+ {strengths[0][:60]}[/]\n[yellow]- {gaps[0][:60]}[/]",
        )
    return table


def best_profiles(ctx: Context, n: int) -> list[str]:
    """The profiles with the most unblocked matches (the ones worth showing first)."""
    with db.connect(ctx.endpoints.dsn) as conn:
        rows = conn.execute(
            "SELECT profile_id, count(*) FILTER (WHERE NOT blocked) AS open, max(fit_total) AS best "
            "FROM proj.matches GROUP BY 1 ORDER BY open DESC, best DESC, 1 LIMIT %s",
            (n,),
        ).fetchall()
    return [r["profile_id"] for r in rows if r["open"]]
