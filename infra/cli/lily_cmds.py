"""`turing lily decompose` and `turing lily eval`: Lily on requirement lines, without the stack."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from infra.cli.common import JsonFlag, friendly, out, print_json

lily_app = typer.Typer(help="Lily, the SECT requirement decomposer.", no_args_is_help=True)

RulesetOpt = typer.Option("rules-1", "--ruleset", help="rules-1 (default) or rules-broad.")


@lily_app.command("decompose")
@friendly
def decompose_cmd(
    file: Path | None = typer.Option(
        None, "--file", help="Requirement lines, one per line (default: stdin)."
    ),
    title: str = typer.Option("", "--title", help="The posting's title (context for vague lines)."),
    ruleset: str = RulesetOpt,
    as_json: bool = JsonFlag,
) -> None:
    """Requirement lines in, one JSON object per line out: {"text": ..., "proof_stacks": [...]}, in order."""
    from processors.lily.rules import decompose
    from processors.taxonomy.store import current

    raw = file.read_bytes() if file is not None else sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = file or "stdin"
        line = raw[: exc.start].count(b"\n") + 1
        raise ValueError(f"{where}: line {line} is not valid UTF-8 (byte {exc.start})") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    taxonomy = current()
    results = []
    for i, line in enumerate(lines):
        neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        stacks = decompose(line, taxonomy, title=title, neighbours=neighbours, ruleset=ruleset)
        results.append({"text": line, "proof_stacks": [s.model_dump(mode="json") for s in stacks]})
    if as_json:
        for r in results:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    for r in results:
        out.print(f"[bold]{r['text']}[/]")
        for s in r["proof_stacks"]:
            out.print("  " + _describe(s))


def _describe(s: Any) -> str:
    parts = []
    for layer in ("skill", "experience", "certification", "track_record"):
        value = s.get(layer)
        if isinstance(value, dict):
            shown = {k: v for k, v in value.items() if v is not None and k != "confidence"}
            parts.append(f"{layer[0].upper()}={shown}")
    flags = s.get("flags") or []
    return (
        " ".join(parts or ["(nothing recognised)"])
        + f"  [{s.get('requirement_strength')}, parse {s.get('parse_confidence')}]"
        + (f" {flags}" if flags else "")
    )


@lily_app.command("eval")
@friendly
def eval_cmd(
    file: Path = typer.Argument(..., help="Labelled JSONL (e.g. sample_data/lily_labelled.jsonl)."),
    ruleset: str = RulesetOpt,
    misses: int = typer.Option(0, "--misses", help="Also print the first N misses."),
    as_json: bool = JsonFlag,
) -> None:
    """Per-layer precision and recall of Lily against a labelled set."""
    from processors.lily.evaluate import evaluate
    from processors.lily.labelled import read_labelled
    from processors.lily.rules import decompose
    from processors.taxonomy.store import current

    taxonomy = current()
    labelled = read_labelled(file)
    report = evaluate(labelled, lambda text: decompose(text, taxonomy, ruleset=ruleset), taxonomy)
    if as_json:
        print_json({"ruleset": ruleset, "lines": report.lines, "layers": report.rows(),
                    "misses": [m.model_dump() for m in report.misses]})  # fmt: skip
        return
    table = Table(
        "layer", "precision", "recall", "F1", "support", title=f"Lily {ruleset} on {report.lines} lines"
    )
    for row in report.rows():
        table.add_row(row["layer"], f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}",
                      str(row["support"]))  # fmt: skip
    out.print(table)
    for m in report.misses[:misses]:
        out.print(f"[dim]{m.layer}[/] {m.text}\n    expected {m.expected}\n    got      {m.got}")
