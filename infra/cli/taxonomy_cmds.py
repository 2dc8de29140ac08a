"""`turing taxonomy …`: choose the taxonomy, look skills up, import ESCO, load one into the projection."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer
from rich.markup import escape

from infra.cli.common import (
    DataDir,
    ExitCode,
    JsonFlag,
    fail,
    friendly,
    input_file,
    note,
    open_context,
    out,
    print_json,
)
from schemas.errors import BadInput

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
    from processors.taxonomy.text import normalise

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
        raise BadInput(str(exc)) from None
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
        "A taxonomy file (default: the configured taxonomy, see `turing taxonomy show`).", default=None
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
    from projections.stores.taxonomy import load_taxonomy

    try:
        taxonomy = store.load(file) if file is not None else in_force(data_dir)
    except store.TaxonomyFileError as exc:
        # A FILE argument is the user's input; a bad taxonomy setting is configuration.
        if file is None:
            raise
        raise BadInput(str(exc)) from None
    with open_context(data_dir) as ctx, db.connect(ctx.endpoints.dsn) as conn:
        return load_taxonomy(conn, ctx.schema, taxonomy)


def _choice(value: str | None) -> str | None:
    """`builtin`, `esco`, or an existing file (recorded as an absolute path)."""
    from processors.taxonomy.store import SHIPPED

    if value is None or value in SHIPPED:
        return value
    path = Path(value).expanduser()
    if path.is_file():
        return str(path.resolve())
    raise typer.BadParameter(f"{value!r} is not one of 'builtin', 'esco', nor a taxonomy file")


@taxonomy_app.command("use")
@friendly
def use(
    choice: str = typer.Argument(
        ..., metavar="CHOICE", callback=_choice, help="builtin, esco, or a taxonomy file (from import-esco)."
    ),
    data_dir: Path = DataDir,
    as_json: bool = JsonFlag,
) -> None:
    """Choose the taxonomy the stack's steps and matcher use, recorded in its settings; print what is in force.

    TURING_TAXONOMY still overrides the choice. A running worker keeps the taxonomy it started
    with until the stack restarts (`turing down`, `turing up`); decisions name the taxonomy
    they read, so a reprocess under another one decides again rather than reusing.
    """
    from infra import stack_settings
    from infra.settings import absolute
    from infra.taxonomies import load_choice
    from processors.taxonomy import store

    data_dir = absolute(data_dir)
    try:
        load_choice(choice)  # a file must be one of ours before it is recorded
    except store.TaxonomyFileError as exc:
        raise BadInput(str(exc)) from None
    recorded = stack_settings.record(data_dir, "taxonomy", choice)
    answer = {**_in_force(data_dir), "recorded": str(recorded)}
    if answer["taxonomy"] != choice:
        note(
            "note:", "yellow", f"{answer['from']}={answer['taxonomy']} overrides this choice where it is set"
        )
    if _worker_running(data_dir):
        note("note:", "yellow", "the running worker keeps its taxonomy until the stack restarts "
             "(`turing down`, then `turing up`)")  # fmt: skip
    _show(answer, as_json)


@taxonomy_app.command("show")
@friendly
def show(data_dir: Path = DataDir, as_json: bool = JsonFlag) -> None:
    """The taxonomy in force: its name, content hash (what decisions record), size, and where it is chosen."""
    _show(_in_force(data_dir), as_json)


def _in_force(data_dir: Path) -> dict[str, object]:
    from infra.settings import Settings
    from infra.taxonomies import configured

    settings = Settings.load(data_dir)
    taxonomy = configured(settings)
    return {
        "taxonomy": settings.taxonomy,
        "from": settings.setting_origin("taxonomy"),
        "name": taxonomy.source,
        "identity": taxonomy.identity,
        "skills": len(taxonomy.skills),
        "categories": len(taxonomy.categories),
        "edges": len(taxonomy.edges),
        "occupations": len(taxonomy.occupations),
    }


def _show(answer: dict[str, object], as_json: bool) -> None:
    from processors.taxonomy.model import short_identity

    if as_json:
        print_json(answer)
        return
    out.print(
        f"taxonomy [bold]{escape(str(answer['taxonomy']))}[/]: {escape(short_identity(str(answer['identity'])))} "
        f"({answer['skills']:,} skills, {answer['edges']:,} edges, {answer['occupations']:,} occupations)"
    )
    out.print(f"  chosen by {escape(str(answer['from']))}", highlight=False)


def _worker_running(data_dir: Path) -> bool:
    from infra.procs import alive
    from infra.stack_state import StackState

    state = StackState.read(data_dir)
    return state is not None and state.worker and alive(state.pids.get("worker"))
