"""`turing lily decompose` and `turing lily eval`: Lily on requirement lines, without the stack."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import (
    JsonFlag,
    friendly,
    input_file,
    note,
    one_of,
    out,
    print_json,
    print_json_lines,
)
from processors.lily.rules import RULESETS
from schemas.errors import BadInput

if TYPE_CHECKING:
    from processors.lily.model import ProofStack
    from processors.taxonomy.model import Taxonomy

lily_app = typer.Typer(help="Lily, the SECT requirement decomposer.", no_args_is_help=True)


_DECOMPOSE_RULESETS = (*RULESETS, "hybrid-1")
DEFAULT_RULESET = "hybrid-1"  # the pipeline's Lily too (processors/pipeline/config.py)
DecomposeRulesetOpt = typer.Option(
    DEFAULT_RULESET, "--ruleset", callback=one_of(_DECOMPOSE_RULESETS),
    help=f"The ruleset: {', '.join(_DECOMPOSE_RULESETS)} (hybrid-1 loads the ESCO skill linker).",
)  # fmt: skip


@lily_app.command("decompose")
@friendly
def decompose_cmd(
    file: Path | None = typer.Option(
        None,
        "--file",
        exists=True,
        dir_okay=False,
        readable=True,
        help="Requirement lines, one per line (default: stdin).",
    ),
    title: str = typer.Option("", "--title", help="The posting's title (context for vague lines)."),
    ruleset: str = DecomposeRulesetOpt,
    as_json: bool = JsonFlag,
) -> None:
    """Decompose requirement lines (stdin or --file) into proof stacks, in input order.

    Readable lines by default (S skill · E experience · C certification · T track record);
    with --json one JSON object per input line: {"text": ..., "proof_stacks": [...]}.
    """
    from infra.taxonomies import in_force
    from processors.lily.rules import decompose

    if file is None and sys.stdin.isatty():
        note("reading", "dim", "requirement lines from stdin; end with Ctrl-D (or use --file)")
    raw = file.read_bytes() if file is not None else sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = file or "stdin"
        line = raw[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"{where}: line {line} is not valid UTF-8 (byte {exc.start}) — re-save it as UTF-8"
        ) from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    taxonomy = in_force()
    results: list[dict[str, Any]] = []
    if ruleset == "hybrid-1":
        results = _hybrid(lines, title)
    for i, line in enumerate(lines if ruleset != "hybrid-1" else []):
        neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        stacks = decompose(line, taxonomy, title=title, neighbours=neighbours, ruleset=ruleset)
        results.append({"text": line, "proof_stacks": [s.model_dump(mode="json") for s in stacks]})
    if as_json:
        print_json_lines(results)
        return
    for number, r in enumerate(results, start=1):
        out.print(f"[bold]{number}. {escape(r['text'])}[/]")
        for s in r["proof_stacks"]:
            out.print("   " + escape(describe_stack(s)), highlight=False)


def _hybrid(lines: list[str], title: str) -> list[dict[str, Any]]:
    """The pipeline's own hybrid-1: the same linker and rules taxonomy the worker binds."""
    from infra.engines import LINKER_TAXONOMY, hybrid_ruleset
    from infra.linking_index import default_linker
    from infra.taxonomies import in_force
    from processors.lily.task import LilyInput, hybrid_rules

    run = hybrid_rules(hybrid_ruleset(default_linker(LINKER_TAXONOMY), in_force()))
    results = []
    for i, line in enumerate(lines):
        neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        out = run(LilyInput(text=line, title=title, neighbours=neighbours), "hybrid-1")
        results.append(out.model_dump(mode="json"))
    return results


def describe_stack(s: dict[str, Any]) -> str:
    """One proof stack on one line: `S Python · E ≥ 5 years · C RN (licence) · T …  (required)`."""
    parts = []
    skill, exp, cert, track = (s.get(k) for k in ("skill", "experience", "certification", "track_record"))
    if isinstance(skill, dict):
        parts.append(f"S {skill['name']}" + (f" [{skill['code']}]" if skill.get("code") else ""))
        if isinstance(skill.get("mention"), dict):
            parts[-1] += f' ("{skill["mention"]["text"]}")'
        for alt in s.get("alternatives") or []:
            parts.append(f"or {alt['name']}")
    if isinstance(exp, dict):
        upper = f"-{exp['value_max']:g}" if exp.get("value_max") is not None else ""
        op = {">=": "≥ ", "<=": "≤ ", "=": "", "range": ""}.get(exp["op"], f"{exp['op']} ")
        qualifier = f" ({exp['qualifier']})" if exp.get("qualifier") else ""
        qualifier += f" in {exp['context']}" if exp.get("context") else ""
        parts.append(f"E {op}{exp['value']:g}{upper} {exp['unit']}{qualifier}")
    if isinstance(cert, dict):
        parts.append(f"C {cert['name']} ({cert['kind']})")
    if isinstance(track, dict):
        amount = f" {track['value']:g}" if track.get("value") is not None else ""
        unit = f" {track['unit']}" if track.get("unit") else ""
        where = f" @ {track['context']}" if track.get("context") else ""
        parts.append(f"T {track['category']}{amount}{unit}{where}")
    flags = s.get("flags") or []
    return (
        " · ".join(parts or ["(nothing recognised)"])
        + f"  ({s.get('requirement_strength')}, parse {s.get('parse_confidence')})"
        + (f"  ⚑ {', '.join(flags)}" if flags else "")
    )


_EVAL_RULESETS = _DECOMPOSE_RULESETS
_SPAN_RULESETS = ("rules-1", "hybrid-1")
_CORPORA = ("skillspan", "conll")
_SPLITS = ("dev", "test")


@lily_app.command("eval")
@friendly
def eval_cmd(
    file: Path | None = input_file("Labelled JSONL (e.g. sample_data/lily_labelled.jsonl).", default=None),
    corpus: str | None = typer.Option(
        None,
        "--corpus",
        callback=lambda v: one_of(_CORPORA)(v) if v is not None else v,
        help="Instead of a labelled FILE, a public corpus: skillspan (span F1 of the S layer, house "
        "and tech), or conll: FILE is a CoNLL-2003-style file (e.g. Green et al. 2022) scored on --entity.",
    ),
    entities: list[str] = typer.Option(
        ["Skill"], "--entity", help="--corpus conll: the entity type(s) that are skills (repeatable)."
    ),
    split: str = typer.Option(
        "dev",
        "--split",
        callback=one_of(_SPLITS),
        help="dev; test only where the held-back file has been placed.",
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=1, help="--corpus: only the first N sentences per source."
    ),
    ruleset: str = typer.Option(
        DEFAULT_RULESET,
        "--ruleset",
        callback=one_of(_EVAL_RULESETS),
        help=f"The ruleset: {', '.join(_EVAL_RULESETS)} (hybrid-1 loads the ESCO skill linker).",
    ),
    misses: int = typer.Option(0, "--misses", min=0, help="Also print the first N misses."),
    as_json: bool = JsonFlag,
) -> None:
    """Lily against a labelled set (per-layer precision and recall, lines passed) or, with
    --corpus skillspan, the S layer's span F1 on a public corpus (the same evaluation as
    `turing skills eval --corpus skillspan`)."""
    from infra.cli.skills_cmds import conll_eval, skillspan_eval
    from infra.taxonomies import in_force
    from processors.lily.evaluate import evaluate
    from processors.lily.labelled import read_labelled

    if corpus is not None:
        if ruleset not in _SPAN_RULESETS:
            raise BadInput(f"--corpus scores {' or '.join(_SPAN_RULESETS)}, not {ruleset}")
        if corpus == "conll":
            if file is None:
                raise BadInput("--corpus conll scores a FILE: give the CoNLL file")
            conll_eval(file, entities, ruleset, limit, as_json)
            return
        if file is not None:
            raise BadInput("give FILE or --corpus skillspan, not both")
        skillspan_eval(ruleset, split, limit, as_json)
        return
    if file is None:
        raise BadInput("give a labelled FILE (e.g. sample_data/lily_labelled.jsonl) or --corpus skillspan")
    taxonomy = in_force()
    try:
        labelled = read_labelled(file)
    except ValueError as exc:  # a malformed line, or bytes that are not UTF-8
        raise BadInput(f"{file}: {exc}") from None
    if not labelled:
        raise BadInput(f"{file} holds no labelled line (see sample_data/lily_labelled.jsonl)")
    predict, taxonomies = _predictor(ruleset, taxonomy)
    report = evaluate(labelled, predict, taxonomies)
    if as_json:
        print_json({"ruleset": ruleset, "lines": report.lines, "passed": report.passed,
                    "pass_rate": round(report.pass_rate, 3), "layers": report.rows(),
                    "misses": [m.model_dump() for m in report.misses]})  # fmt: skip
        return
    table = Table(
        "layer", "precision", "recall", "F1", "support", title=f"Lily {ruleset} on {report.lines} lines"
    )
    for row in report.rows():
        table.add_row(row["layer"], f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}",
                      str(row["support"]))  # fmt: skip
    out.print(table)
    out.print(f"lines passed (every layer, strength and flag right): {report.passed} of {report.lines} "
              f"({report.pass_rate:.3f})")  # fmt: skip
    for m in report.misses[:misses]:
        out.print(
            f"[dim]{m.layer}[/] {escape(m.text)}\n    expected {escape(str(m.expected))}\n"
            f"    got      {escape(str(m.got))}"
        )


def _predictor(ruleset: str, taxonomy: Taxonomy) -> tuple[Callable[[str], list[ProofStack]], list[Taxonomy]]:
    from processors.lily import hybrid
    from processors.lily.rules import decompose

    if ruleset != hybrid.RULESET:
        return (lambda text: decompose(text, taxonomy, ruleset=ruleset)), [taxonomy]
    from infra.engines import LINKER_TAXONOMY
    from infra.linking_index import default_linker

    linker = default_linker(LINKER_TAXONOMY)
    return (lambda text: hybrid.decompose(text, linker, taxonomy)), [linker.taxonomy, taxonomy]
