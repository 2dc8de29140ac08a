"""`turing eval report`: engines and model versions against feedback, the jury against the same
feedback, QA findings by dimension and verdict, and the most disputed decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import DataDir, JsonFlag, caught_up_read, friendly, out, print_json
from processors.quality.report import report
from projections.read import quality as quality_reads

eval_app = typer.Typer(help="Close the quality loop: compare engines and model versions on numbers.",
                       no_args_is_help=True)  # fmt: skip


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 date or time, e.g. 2026-11-02") from None
    return value


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _print(r: dict[str, Any]) -> None:
    engines = Table(title=f"matches against feedback ({r['feedback']})")
    for col in ("engines and models", "feedback", "right", "wrong", "agreement", "wrong by category"):
        engines.add_column(col)
    for e in r["engines"]:
        cats = ", ".join(f"{k} {v}" for k, v in e["wrong_by_category"].items()) or "-"
        engines.add_row(escape(e["config"]), str(e["feedback"]), str(e["right"]), str(e["wrong"]),
                        _pct(e["agreement"]), escape(cats))  # fmt: skip
    out.print(engines)
    jury = Table(title="jury verdicts against feedback")
    for col in ("jury", "feedback", "agree", "agreement"):
        jury.add_column(col)
    for j in r["jury"]:
        jury.add_row(escape(j["config"]), str(j["feedback"]), str(j["agree"]), _pct(j["agreement"]))
    out.print(jury)
    qa = Table(title="QA findings by dimension and verdict")
    for col in ("target", "dimension", "open", "ok", "issue", "remediated"):
        qa.add_column(col)
    for q in r["qa"]:
        qa.add_row(
            q["target"], q["dimension"], str(q["open"]), str(q["ok"]), str(q["issue"]), str(q["remediated"])
        )
    out.print(qa)
    for d in r["most_disputed"]:
        out.print(f"disputed {d['kind']} {d['event_id']}: {d['wrong']} wrong")


@eval_app.command("report")
@friendly
def report_(
    since: str | None = typer.Option(
        None, "--since", callback=_since, help="Only feedback and findings from then on."
    ),
    top: int = typer.Option(5, "--top", min=1, max=1000, help="How many disputed decisions to list."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Per engine and model version: agreement with feedback (by label, by component), the jury
    against feedback, QA findings by dimension and verdict, and the most disputed decisions."""
    moment = datetime.fromisoformat(since) if since else None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    feedback, qa = caught_up_read(
        data_dir, lambda conn, schema: quality_reads.report_rows(conn, schema, moment)
    )
    answer = {"since": moment, **report(feedback, qa, top)}
    if as_json:
        print_json(answer)
        return
    _print(answer)
