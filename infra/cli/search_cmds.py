"""`turing search profile ID "QUERY"`: hybrid retrieval over a profile's experience atoms."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import DataDir, JsonFlag, console, fail, friendly, one_of, open_context, out, print_json
from infra.usecases.search import search
from processors.embeddings.provider import EmbeddingError
from processors.retrieval.model import PRESETS

search_app = typer.Typer(help="Search a profile's evidence (hybrid retrieval).", no_args_is_help=True)


_FOUND_BY = {"both": "[green]both[/]", "lexical": "[cyan]lexical[/]", "semantic": "[magenta]semantic[/]"}


@search_app.command("profile")
@friendly
def profile(
    profile_id: str = typer.Argument(..., metavar="ID", help="The profile id, e.g. pr-amara-okafor."),
    query: str = typer.Argument(..., metavar="QUERY", help="What to look for, in plain words."),
    preset: str = typer.Option(
        "job_matching",
        "--preset",
        callback=one_of(sorted(PRESETS)),
        help=f"Blend weights: {' or '.join(sorted(PRESETS))}.",
    ),
    k: int = typer.Option(20, "--k", "-k", min=1, help="How many results to show."),
    lexical_only: bool = typer.Option(
        False, "--lexical-only", help="Full-text search only: no embedding model is loaded."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Rank the profile's experience atoms for QUERY, each with the evidence it rests on."""
    # Profiles ingested but not yet projected would otherwise be "unknown".
    with open_context(data_dir, caught_up=True) as ctx:
        # Loading MiniLM takes seconds; the spinner says why the command is quiet.
        waiting = (
            nullcontext() if lexical_only else console.status("loading the embedding model and searching…")
        )
        try:
            with waiting:
                answer = search(
                    ctx.endpoints.dsn,
                    ctx.schema,
                    profile_id,
                    query,
                    preset=preset,
                    k=k,
                    lexical_only=lexical_only,
                )
        except EmbeddingError as exc:
            fail(f"{exc} — or search with --lexical-only")
    if as_json:
        print_json(answer)
    else:
        _print(answer)


def _print(answer: dict[str, Any]) -> None:
    results = answer["results"]
    mode = "lexical only" if answer["mode"] == "lexical" else "lexical + semantic"
    out.print(
        f"[bold]{escape(answer['profile_id'])}[/]  query [italic]{escape(answer['query'])}[/]  "
        f"preset {answer['preset']}  ({mode})"
    )
    if not results:
        out.print("[yellow]no atom of this profile matches the query[/]")
        return
    table = Table("rank", "score", "found by", "source", "text")
    for r in results:
        table.add_row(
            str(r["rank"]),
            f"{r['score']:.3f}",
            _FOUND_BY.get(r["found_by"], r["found_by"]),
            escape(r["evidence"]["source"] or r["id"]),
            escape(_one_line(r["text"])),
        )
    out.print(table)


def _one_line(text: str) -> str:
    # An atom's text is title, claim and tags on separate lines, often repeating each other.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " · ".join(dict.fromkeys(lines))
