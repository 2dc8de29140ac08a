"""`turing jury run`: convene Oscar, Rita and Helen over a pair's current match, on demand."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from infra.cli.common import (
    DataDir,
    JsonFlag,
    friendly,
    open_context,
    out,
    print_json,
    stack_settings,
)
from infra.engines import engine_cache
from processors.jury.config import JuryConfig
from processors.jury.convene import convene
from processors.jury.models import VERDICT_WORDS
from processors.taxonomy import store
from projections import db
from projections.read import pipeline as pipeline_queries
from projections.read import quality as quality_reads
from schemas.errors import BadInput, NotFound

jury_app = typer.Typer(help="The matching jury: Oscar argues for, Rita lists gaps, Helen decides.",
                       no_args_is_help=True)  # fmt: skip


def _engines(values: list[str]) -> dict[str, str]:
    out_: dict[str, str] = {}
    for value in values:
        role, sep, spec = value.partition("=")
        if not sep:
            raise BadInput(f"--engine {value!r}: expected ROLE=ENGINE:MODEL, e.g. helen=openai:qwen3")
        out_[role.strip()] = spec.strip()
    return out_


def print_verdict(verdict: dict[str, Any]) -> None:
    out.print(f"[bold]{escape(VERDICT_WORDS.get(verdict['verdict'], verdict['verdict']))}[/] "
              f"(Helen, {escape(verdict['engine'])})")  # fmt: skip
    for reason in verdict["reasons"]:
        out.print(f"  - {escape(reason)}")
    for d in verdict["decisions"]:
        seat = d["task"].removeprefix("jury_").capitalize()
        lines = (d["output"] or {}).get("points") or (d["output"] or {}).get("gaps") or []
        reused = " (reused)" if d["status"] == "reused" else ""
        out.print(f"[bold]{seat}[/] {escape(d['engine'])}:{escape(d['model'])}{reused} — {d['event_id']}")
        for item in lines:
            out.print(f"  - {escape(item.get('text') or item.get('detail') or '')}")


@jury_app.command("run")
@friendly
def run(
    profile: str = typer.Option(..., "--profile", help="The profile id."),
    posting: str = typer.Option(..., "--posting", help="The posting id."),
    engine: list[str] = typer.Option(
        [], "--engine", help="ROLE=ENGINE:MODEL for oscar, rita or helen (default rules:jury-rules-1)."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Convene the jury over the pair's current match, borderline or not; an unchanged match reuses
    the earlier decisions instead of asking the engines again."""
    overrides = _engines(engine)
    try:
        JuryConfig().with_engines(overrides)  # a bad seat or spec is refused before any service is contacted
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    settings = stack_settings(data_dir)
    config = settings.jury.with_engines(overrides)
    with open_context(data_dir, caught_up=True) as ctx:
        # The jury's tasks read no taxonomy: the built-in one is as good as any.
        engines = engine_cache(settings.pipeline.engine_options, store.builtin())
        try:
            with db.connect(ctx.endpoints.dsn) as conn:
                match = quality_reads.match_event(conn, ctx.schema, profile, posting)
                if match is None:
                    raise NotFound(
                        f"no match for profile {profile!r} and posting {posting!r} — see `turing score`"
                    )
                decisions = convene(
                    [match], engines, config, partial(pipeline_queries.reusable, conn, ctx.schema)
                )
                logged = quality_reads.logged(conn, ctx.schema, [str(d.meta.event_id) for d in decisions])
            for d in decisions:
                if str(d.meta.event_id) not in logged:
                    ctx.producer.send(d)
            ctx.producer.flush()
            ctx.catch_up()
            with db.connect(ctx.endpoints.dsn) as conn:
                verdict = quality_reads.jury_of(conn, ctx.schema, str(match.meta.event_id))
        finally:
            engines.close()
    failed = [d for d in decisions if d.status == "failed"]
    if failed:
        raise LookupError(f"the jury could not decide: {failed[0].task} failed: {failed[0].error}")
    if verdict is None:
        raise LookupError("the jury's decisions were emitted but are not projected yet — see `turing status`")
    if as_json:
        print_json(verdict)
        return
    print_verdict(verdict)
