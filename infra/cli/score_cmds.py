"""`turing score --profile P.json --posting Q.json`: one explained match, no stack needed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typer

from infra.cli.common import JsonFlag, friendly, out, print_json
from infra.cli.shapes import expect
from infra.settings import Settings
from processors.intake.records import JsonInputError, parse_json
from schemas.errors import BadInput

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from processors.scoring.result import ScoreResult
    from processors.taxonomy.model import Taxonomy

_COLOURS = {
    "Top Priority": "bold green",
    "Safe Bet": "green",
    "Stretch Opportunity": "cyan",
    "Worth a Look": "yellow",
    "Likely Skip": "red",
    "Blocked": "bold red",
}


_SWAPPED = "did you swap --profile and --posting?"


def _read_json(path: Path, what: Literal["profile", "posting"]) -> dict[str, Any]:
    data = path.read_bytes()
    try:
        doc = parse_json(data.decode("utf-8"))
    except JsonInputError as exc:
        raise BadInput(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not valid UTF-8 at byte {exc.start} — re-save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(doc, dict):
        raise BadInput(f"{path}: the {what} must be a JSON object, got {type(doc).__name__}")
    expect(path, data, what, _SWAPPED)
    return doc


def _field_errors(path: Path, exc: ValidationError, shown: int = 5) -> str:
    """Every field's problem on one line: `P.json: skills.0.name: Field required; …`."""
    errors = exc.errors()
    parts = [
        f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in errors[:shown]
    ]
    more = f" (and {len(errors) - shown} more)" if len(errors) > shown else ""
    return f"{path}: " + "; ".join(parts) + more


def _load(path: Path, model: type[BaseModel], what: Literal["profile", "posting"]) -> Any:
    from pydantic import ValidationError

    doc = _read_json(path, what)
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise BadInput(_field_errors(path, exc)) from None


def _load_posting(path: Path, settings: Settings, taxonomy: Taxonomy) -> Any:
    from pydantic import ValidationError

    from infra.usecases.score import derive_with_pipeline
    from processors.scoring.from_posting import is_derived
    from processors.scoring.models import DerivedPosting

    doc = _read_json(path, "posting")
    if is_derived(doc):
        return _load(path, DerivedPosting, "posting")
    # A raw posting goes through the pipeline's steps with the engines the settings name.
    try:
        return derive_with_pipeline(doc, settings.pipeline, taxonomy)
    except ValidationError as exc:
        raise BadInput(_field_errors(path, exc)) from None
    except ValueError as exc:
        raise BadInput(f"{path}: {exc}") from None


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _render(result: ScoreResult) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    colour = _COLOURS.get(result.recommendation, "bold")
    scores = Table.grid(padding=(0, 2))
    scores.add_row("[bold]Fit[/]", _fmt(result.fit.total), result.fit.label)
    scores.add_row("[bold]Stretch[/]", _fmt(result.stretch.total), result.stretch.label)
    gate = "hard gate failed" if result.practical.hard_fail else ""
    scores.add_row("[bold]Practical[/]", _fmt(result.practical.total), gate)
    if result.ghost_score is not None:
        scores.add_row("[bold]Ghost risk[/]", _fmt(result.ghost_score), "")
    body = Table.grid()
    body.add_row(f"[{colour}]{result.recommendation}[/]" + ("  (auto-draft)" if result.auto_draft else ""))
    body.add_row(escape(result.explanation.summary))
    body.add_row("")
    body.add_row(scores)
    ex = result.explanation
    sections = (
        ("Blocked by", "red", result.non_negotiables.failed_reasons),
        ("Strengths", "green", ex.strengths[:3]),
        ("Gaps", "yellow", ex.gaps[:3]),
        ("Growth", "cyan", ex.stretch_opportunities[:2]),
        ("Warnings", "magenta", ex.warnings[:3]),
    )
    for title, style, items in sections:
        if items:
            body.add_row("")
            body.add_row(f"[{style}]{title}[/]")
            for item in items:
                body.add_row(f"  • {escape(item)}")
    if result.suggestions:
        body.add_row("")
        body.add_row("[bold]To improve[/]")
        for s in result.suggestions[:3]:
            body.add_row(
                f"  +{s.delta:.2f} fit  {s.type.replace('_', ' ')}: {escape(s.target)} — {escape(s.rationale)}"
            )
    who = escape(f"{result.profile_id} vs {result.posting_id or 'posting'}")
    out.print(Panel(body, title=who, border_style=colour.split()[-1], expand=False))


@friendly
def score(
    profile: Path = typer.Option(
        ..., "--profile", exists=True, dir_okay=False, readable=True, help="Profile JSON file."
    ),
    posting: Path = typer.Option(
        ...,
        "--posting",
        exists=True,
        dir_okay=False,
        readable=True,
        help="Posting JSON: a derived posting (with extracted_skills) or a raw one.",
    ),
    baseline: bool = typer.Option(
        False, "--baseline", help="Switch the extensions off: the seed formulas only."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Score one profile against one posting: fit, stretch, practical fit, explained, with suggestions."""
    from infra.taxonomies import configured
    from infra.usecases.score import score_match
    from processors.scoring.models import Profile

    settings = Settings.load()
    taxonomy = configured(settings)
    who = _load(profile, Profile, "profile")
    what = _load_posting(posting, settings, taxonomy)
    result = score_match(who, what, taxonomy=taxonomy, baseline=baseline, as_of=date.today())
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    _render(result)
