"""`turing skills link` and `turing skills eval`: the skill linker on lines, and on public corpora."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from infra.cli.common import ExitCode, JsonFlag, friendly, note, out, print_json_lines
from schemas.errors import BadInput

skills_app = typer.Typer(
    help="Skill linking: text to ranked taxonomy skills (ESCO by default).", no_args_is_help=True
)

MAX_LINE = 5_000  # characters; a longer "line" is a pasted document, not a requirement


class TaxonomyName(StrEnum):
    esco = "esco"
    builtin = "builtin"


class Corpus(StrEnum):
    esco_linking = "esco-linking"
    skillspan = "skillspan"


class Ruleset(StrEnum):
    rules_1 = "rules-1"
    hybrid_1 = "hybrid-1"


class Split(StrEnum):
    dev = "dev"
    test = "test"  # held back: read only where a scorer has placed the file


def _read_lines(file: Path | None) -> list[str]:
    raw = file.read_bytes() if file is not None else sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BadInput(f"{file or 'stdin'}: line {line} is not valid UTF-8 (byte {exc.start})") from None
    return text.splitlines()


@skills_app.command("link")
@friendly
def link_cmd(
    file: Path | None = typer.Option(
        None, "--file", exists=True, dir_okay=False, readable=True, help="Lines of text (default: stdin)."
    ),
    top: int = typer.Option(5, "--top", min=1, max=100, help="Skills per line, best first."),
    min_score: float = typer.Option(
        0.0, "--min-score", min=0.0, max=1.0, help="Leave out links scored below this (calibrated, 0-1)."
    ),
    taxonomy: TaxonomyName = typer.Option(TaxonomyName.esco, "--taxonomy", help="The taxonomy linked to."),
    as_json: bool = JsonFlag,
) -> None:
    """One answer per non-blank input line: its ranked skills {label, uri, code, score, mention}.

    Exit 3 when some lines were rejected (too long), 4 when none was linked.
    """
    from infra.linking_index import default_linker

    numbered = [(n, line.strip()) for n, line in enumerate(_read_lines(file), start=1) if line.strip()]
    accepted = []
    for n, line in numbered:
        if len(line) > MAX_LINE:
            note("rejected:", "yellow", f"line {n}: {len(line):,} characters (at most {MAX_LINE:,})")
        else:
            accepted.append((n, line))
    if not accepted:
        note("error:", "bold red", "no line to link" if not numbered else "every line was rejected")
        raise typer.Exit(int(ExitCode.NONE_ACCEPTED))
    linker = default_linker(taxonomy.value)
    results = linker.link_many([line for _, line in accepted], top=top, min_score=min_score)
    rows: list[dict[str, Any]] = [
        {"line": n, "text": line, "linker": linker.identity,
         "skills": [s.model_dump(include={"label", "uri", "code", "score", "mention", "how"}) for s in found]}
        for (n, line), found in zip(accepted, results, strict=True)
    ]  # fmt: skip
    if as_json:
        print_json_lines(rows)
    else:
        for row in rows:
            out.print(f"[bold]{escape(row['text'])}[/]", highlight=False)
            for s in row["skills"]:
                m = s["mention"]
                where = escape(f"{s['code']} ← {m['text']!r} @{m['start']}")
                out.print(f"  {s['score']:.2f}  {escape(s['label'])}  [dim]{where}[/]", highlight=False)
    if len(accepted) < len(numbered):
        raise typer.Exit(int(ExitCode.PARTIAL))


@skills_app.command("eval")
@friendly
def eval_cmd(
    corpus: Corpus = typer.Option(Corpus.esco_linking, "--corpus", help="The public corpus."),
    split: Split = typer.Option(
        Split.dev, "--split", help="dev; test only where the held-back file has been placed."
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=1, help="Only the first N sentences per source (a quick check)."
    ),
    ruleset: Ruleset = typer.Option(
        Ruleset.hybrid_1, "--ruleset", help="skillspan: the Lily ruleset whose S layer is scored."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """esco-linking: R-Precision@5 and MRR of the linker (tech, house; techwolf on a placed
    test split). skillspan: span F1 of
    Lily's S layer, strict and lenient (house, tech). Report dev: test splits are held back."""
    from infra.corpora import esco_linking, linking_sources
    from infra.linking_index import default_linker
    from processors.linking.evaluate import evaluate

    if corpus is Corpus.skillspan:
        skillspan_eval(ruleset.value, split.value, limit, as_json)
        return
    linker = default_linker("esco")
    rows: list[dict[str, Any]] = []
    for source in linking_sources(split.value):
        sentences = esco_linking(source, split.value)[:limit]
        report = evaluate(
            sentences,
            lambda texts: [[s.label for s in found] for found in linker.link_many(texts, top=50)],
            lambda label: linker.taxonomy.lookup(label) is not None,
        )
        rows.append({"corpus": corpus.value, "source": source, "split": split.value, "limit": limit,
                     **report.as_dict(), "linker": linker.identity})  # fmt: skip
    if as_json:
        print_json_lines(rows)
        return
    for r in rows:
        out.print(f"{r['corpus']} {r['source']} {r['split']}: RP@5 {r['rp5']:.3f}  MRR {r['mrr']:.3f}  "
                  f"({r['sentences']} sentences, {r['unreachable_gold']} gold labels not in ESCO 1.2.0)")  # fmt: skip


def _span_reader(ruleset: str) -> Callable[[Sequence[str]], list[list[tuple[int, int]]]]:
    """Sentences to the character spans a Lily ruleset's S layer calls skills."""
    from processors.lily import hybrid
    from processors.lily.span_eval import rules_spans, stack_spans
    from processors.taxonomy import store

    rules_taxonomy = store.builtin()
    if ruleset == Ruleset.hybrid_1.value:
        from infra.linking_index import default_linker

        linker = default_linker("esco")

        def read(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
            links = linker.link_many(texts, top=hybrid.MAX_LINKS)
            return [
                stack_spans(hybrid.decompose(t, linker, rules_taxonomy, links=links[i]))
                for i, t in enumerate(texts)
            ]

        return read

    def read_rules(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        return [rules_spans(t, rules_taxonomy) for t in texts]

    return read_rules


def skillspan_eval(ruleset: str, split: str, limit: int | None, as_json: bool) -> None:
    """SkillSpan span F1 of a Lily ruleset's S layer (`turing skills eval` and `turing lily eval`)."""
    from infra.corpora import SKILLSPAN_SOURCES, skillspan
    from processors.lily.span_eval import evaluate_spans

    read = _span_reader(ruleset)
    rows: list[dict[str, Any]] = []
    for source in SKILLSPAN_SOURCES:
        report = evaluate_spans(skillspan(source, split)[:limit], read)
        rows.append({"corpus": "skillspan", "source": source, "split": split, "limit": limit,
                     "ruleset": ruleset, **report.as_dict()})  # fmt: skip
    if as_json:
        print_json_lines(rows)
        return
    for r in rows:
        strict, lenient = r["strict"], r["lenient"]
        out.print(f"skillspan {r['source']} {r['split']} {r['ruleset']}: lenient F1 {lenient['f1']:.3f} "
                  f"(P {lenient['precision']:.3f} R {lenient['recall']:.3f}), strict F1 {strict['f1']:.3f} "
                  f"({r['sentences']} sentences, {r['gold_spans']} gold spans)")  # fmt: skip


def conll_eval(file: Path, entities: Sequence[str], ruleset: str, limit: int | None, as_json: bool) -> None:
    """Span F1 of a Lily ruleset's S layer on any CoNLL-2003-style file (`turing lily eval
    FILE --corpus conll`), against the spans of the entity types asked for."""
    from processors.lily.span_eval import evaluate_spans
    from processors.linking.corpora import CorpusFormatError, parse_conll

    try:
        sentences = parse_conll(file.read_text(encoding="utf-8"), frozenset(entities))
    except (CorpusFormatError, UnicodeDecodeError) as exc:
        raise BadInput(f"{file}: {exc}") from None
    if not sentences:
        raise BadInput(f"{file} holds no sentence (CoNLL: a token and a tag per line, blank between)")
    report = evaluate_spans(sentences[:limit], _span_reader(ruleset))
    row = {"corpus": "conll", "file": file.name, "entities": sorted(entities), "limit": limit,
           "ruleset": ruleset, **report.as_dict()}  # fmt: skip
    if as_json:
        print_json_lines([row])
        return
    strict, lenient = report.strict, report.lenient
    out.print(f"{file.name} ({', '.join(sorted(entities))}) {ruleset}: lenient F1 {lenient.f1:.3f} "
              f"(P {lenient.precision:.3f} R {lenient.recall:.3f}), strict F1 {strict.f1:.3f} "
              f"({report.sentences} sentences, {report.gold} gold spans)")  # fmt: skip
