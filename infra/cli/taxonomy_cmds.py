"""`turing taxonomy …`: look skills up, import ESCO, load a taxonomy into the projection."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer
from rich.markup import escape

from infra.cli.common import (
    DataDir,
    ExitCode,
    JsonFlag,
    UsageProblem,
    context,
    fail,
    friendly,
    input_file,
    out,
    print_json,
)

taxonomy_app = typer.Typer(help="The skill taxonomy (built in, or imported from ESCO).", no_args_is_help=True)


@taxonomy_app.command("lookup")
@friendly
def lookup(
    name: str = typer.Argument(..., help="A skill name or synonym, e.g. 'JS' or 'CI-CD'."),
    as_json: bool = JsonFlag,
) -> None:
    """Normalise a name and find its skill (synonyms, then fuzzy), with its path in the taxonomy.

    Exit 1 when no skill matches (with --json the answer says "found": false).
    """
    from infra.taxonomies import in_force
    from processors.taxonomy.model import normalise

    taxonomy = in_force()
    hit = taxonomy.resolve(name)
    answer = {"query": name, "key": normalise(name), "found": hit is not None}
    if hit is not None:
        skill, score = hit
        answer.update({"code": skill.code, "name": skill.name, "kind": skill.kind, "match": score,
                       "path": taxonomy.path(skill.code), "synonyms": list(skill.synonyms)})  # fmt: skip
    if as_json:
        print_json(answer)
        if hit is None:
            raise typer.Exit(ExitCode.FAILED)
        return
    if hit is None:
        fail(f"no skill matches {name!r} (key {answer['key']!r}) — try another spelling or a synonym")
    out.print(
        f"{answer['code']} [bold]{escape(str(answer['name']))}[/] ({answer['kind']}, match {answer['match']})"
    )
    out.print("  " + escape(" > ".join(answer["path"])))  # type: ignore[arg-type]


@taxonomy_app.command("import-esco")
@friendly
def import_esco(
    directory: Path = input_file(
        "Folder with skills_en.csv, skillsHierarchy_en.csv, broaderRelationsSkillPillar_en.csv.",
        dir_okay=True,
    ),
    out_file: Path = typer.Option(
        Path("taxonomy-esco.json"), "--out", help="Where to write the converted taxonomy."
    ),
    apply: bool = typer.Option(False, "--apply", help="Also load it into the live projection."),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Convert the ESCO CSV downloads into Turing's taxonomy format (codes L1.L2.L3.L4)."""
    from processors.taxonomy.esco import EscoError, convert

    try:
        report = convert(directory, out_file)
    except EscoError as exc:
        raise UsageProblem(str(exc)) from None
    answer = {**dataclasses.asdict(report), "file": str(out_file)}
    if apply:
        answer["loaded"] = _load(data_dir, out_file)
    if as_json:
        print_json(answer)
        return
    out.print(
        f"ESCO → {out_file}: {report.skills:,} skills ({report.hard:,} hard, {report.soft:,} soft, "
        f"{report.knowledge:,} knowledge, {report.language:,} language), {report.categories:,} categories, "
        f"{report.edges:,} edges, {report.unclassified:,} unclassified"
    )
    out.print(
        f"Processors use it after `turing taxonomy use {out_file}` (or with TURING_TAXONOMY={out_file})."
    )


@taxonomy_app.command("load")
@friendly
def load(
    file: Path | None = input_file(
        "A taxonomy file (default: the configured taxonomy, TURING_TAXONOMY or the built-in one).",
        default=None,
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Replace the taxonomy tables of the live projection with FILE (or the configured taxonomy)."""
    counts = _load(data_dir, file)
    if as_json:
        print_json(counts)
    else:
        out.print("loaded " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))


def _load(data_dir: Path, file: Path | None) -> dict[str, int]:
    from infra.taxonomies import in_force
    from processors.taxonomy import store
    from projections import db
    from projections.taxonomy import load_taxonomy

    try:
        taxonomy = store.load(file) if file is not None else in_force(data_dir)
    except store.TaxonomyFileError as exc:
        # A FILE argument is the user's input; a bad taxonomy setting is configuration.
        if file is None:
            raise
        raise UsageProblem(str(exc)) from None
    ctx = context(data_dir)
    try:
        with db.connect(ctx.endpoints.dsn) as conn:
            return load_taxonomy(conn, ctx.schema, taxonomy)
    finally:
        ctx.close()
