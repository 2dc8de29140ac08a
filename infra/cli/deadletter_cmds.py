"""`turing deadletters list` and `turing deadletters replay`: what the consumers gave up on, and a retry.

A replay puts the dead-lettered record back on its source topic byte for byte (same key,
so the same partition and order; same event id), and the consumer handles it again; see
docs/architecture.md, "Delivery guarantees".
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from infra.cli.common import DataDir, JsonFlag, friendly, open_context, out, print_json
from schemas.errors import BadInput, NotFound
from streams.deadletters import Letter, read_letters, replay

deadletters_app = typer.Typer(
    help="Records a consumer could not handle after its retries: list them, replay them.",
    no_args_is_help=True,
)


@deadletters_app.command("list")
@friendly
def list_(data_dir: Path = DataDir, as_json: bool = JsonFlag) -> None:
    """Every dead letter, oldest first: where the record was, who gave up, after how many attempts, why."""
    with open_context(data_dir) as ctx:
        letters = list(read_letters(ctx.endpoints.bootstrap_servers, ctx.codec))
    if as_json:
        print_json([x.as_dict() for x in letters])
        return
    if not letters:
        out.print("no dead letters")
        return
    table = Table(title=f"dead letters ({len(letters)})")
    for col in ("id", "processor", "source", "key", "attempts", "replayable", "error"):
        table.add_column(col)
    for x in letters:
        d = x.as_dict()
        table.add_row(d["id"], d["processor"], d["source"], escape(str(d["key"] or "-")),
                      str(d["attempts"] or "-"), "yes" if x.replayable else "no",
                      escape(x.error.splitlines()[0][:100] if x.error else ""))  # fmt: skip
    out.print(table)


@deadletters_app.command("replay")
@friendly
def replay_(
    data_dir: Path = DataDir,
    letter_id: list[str] = typer.Option([], "--id", help="A dead letter's id (repeat for more)."),
    all_: bool = typer.Option(False, "--all", help="Every replayable dead letter."),
    as_json: bool = JsonFlag,
) -> None:
    """Put dead-lettered records back on their source topics; the consumers handle them again."""
    if bool(letter_id) == all_:
        raise BadInput("choose the dead letters with --id ID (repeatable) or --all, not both")
    with open_context(data_dir) as ctx:
        letters = list(read_letters(ctx.endpoints.bootstrap_servers, ctx.codec))
        chosen = _choose(letters, letter_id, all_)
        done = replay(ctx.producer, chosen)
    if as_json:
        print_json({"replayed": done, "skipped_not_replayable": [x.event_id for x in letters
                                                                 if all_ and not x.replayable]})  # fmt: skip
        return
    for d in done:
        out.print(f"replayed {d['id']} → {d['topic']}[{d['partition']}]@{d['offset']}")
    if not done:
        out.print("nothing to replay")


def _choose(letters: list[Letter], ids: list[str], all_: bool) -> list[Letter]:
    if all_:
        return [x for x in letters if x.replayable]
    by_id = {x.event_id: x for x in letters}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise NotFound(f"no dead letter with id {', '.join(missing)} (`turing deadletters list` shows them)")
    refused = [i for i in ids if not by_id[i].replayable]
    if refused:
        raise BadInput(
            f"dead letter {', '.join(refused)} came from a record that could not be decoded: "
            "replaying the same bytes would fail the same way"
        )
    return [by_id[i] for i in dict.fromkeys(ids)]
