"""The CLI contract (docs/cli.md): exit codes, usage errors, one error line, JSON encoding.

The sweep walks typer's command tree, so a command added later is covered without editing
this file: every command is called with an unknown option, with a bad value for each
constrained parameter, and (where it talks to the stack) with no stack running.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin
from uuid import UUID

import pytest
import typer
from typer.testing import CliRunner, Result

from infra.cli.app import app
from infra.cli.common import ExitCode, intake_exit, note, to_json
from infra.cli.shapes import kind_of, sniff
from infra.context import VERSION
from tests.conftest import SAMPLES

runner = CliRunner()
# Commands that start services when their arguments are fine: only their bad calls are made.
STARTS_SERVICES = {("up",), ("demo",)}
# Commands that read or record the stack's settings in its data dir and need no stack running.
NO_STACK_NEEDED = {("taxonomy", "use"), ("taxonomy", "show")}
# Values a constrained option needs to be valid, so that another parameter's error is the one seen.
VALID = {"--step": "lily"}
NO_STACK_ENV = {
    "TURING_BOOTSTRAP_SERVERS": None,
    "TURING_REGISTRY_URL": None,
    "TURING_DSN": None,
    "TURING_DEBUG": None,
    "COLUMNS": "200",
}


def invoke(args: list[str], *, input: str | None = None, env: dict[str, Any] | None = None) -> Result:
    return runner.invoke(app, args, input=input, env={**NO_STACK_ENV, **(env or {})})


def assert_clean(result: Result, codes: set[int]) -> None:
    """No traceback reached the user, nothing escaped, and the exit code is one of `codes`."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in codes, f"exit {result.exit_code}: {result.output}"


def _leaves(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subs = getattr(cmd, "commands", None)
    if not subs:
        yield path, cmd
        return
    for name, sub in sorted(subs.items()):
        yield from _leaves(sub, (*path, name))


LEAVES = dict(_leaves(typer.main.get_command(app)))


def _annotation(param: Any) -> Any:
    ann = param.type_descriptor.annotation
    if get_origin(ann) in (Union, UnionType):
        ann = next(a for a in get_args(ann) if a is not NoneType)
    if get_origin(ann) is list:
        ann = get_args(ann)[0]
    return ann


def _is_option(param: Any) -> bool:
    return bool(getattr(param, "opts", None)) and param.opts[0].startswith("-")


def _filler(param: Any, files: dict[str, Path]) -> str:
    """A value the parameter accepts (the command may still fail later, on purpose)."""
    ann, info = _annotation(param), param.type_descriptor.parameter_info
    if ann is Path:
        return str(files["dir"] if info.exists and not info.file_okay else files["file"])
    if ann in (int, float):
        return "1"
    if get_origin(ann) is Literal:
        return str(get_args(ann)[0])
    if isinstance(ann, type) and issubclass(ann, Enum):
        return str(next(iter(ann)).value)
    if _is_option(param) and param.opts[0] in VALID:
        return VALID[param.opts[0]]
    return _first_choice(param) or "zzzz"


def _first_choice(param: Any) -> str | None:
    """A choice a checking callback names when it refuses a value ("… is not one of 'a', 'b'")."""
    import re

    if param.callback is None:
        return None
    # Typer hands click-style callbacks (ctx, param, value) to the parameter.
    for call in (lambda: param.callback(None, param, "zzzz"), lambda: param.callback("zzzz")):
        try:
            call()
        except typer.BadParameter as exc:
            found = re.search(r"one of '([^']+)'", str(exc.message))
            return found.group(1) if found else None
        except Exception:  # this calling convention is not the callback's
            continue
        return None
    return None


def _bad(param: Any) -> list[str]:
    """Values the parameter must refuse at parse time (none: any value is acceptable)."""
    ann, info = _annotation(param), param.type_descriptor.parameter_info
    if param.name == "data_dir":
        return []  # any directory is valid (`up` would start a stack in it); see below for a file
    if ann is Path:
        return ["/nonexistent/turing-input"] if info.exists else []
    if ann in (int, float):
        bad = [str(param.max + 1)] if param.max is not None else []
        if param.min is not None:
            bad += sorted({str(param.min - 1), "-1"} if param.min > -1 else {str(param.min - 1)})
        return bad or (["0", "-1"] if param.callback is not None else [])
    if get_origin(ann) is Literal or param.callback is not None:
        return ["bogus-value"]
    if isinstance(ann, type) and issubclass(ann, Enum) and not issubclass(ann, int | float):
        return ["bogus-value"]
    return []


def _args(cmd: Any, files: dict[str, Path], override: tuple[Any, str] | None = None) -> list[str]:
    args: list[str] = []
    for param in cmd.params:
        if param.name == "data_dir":
            args += ["--data-dir", str(files["data"])]
            continue
        value = override[1] if override and override[0] is param else None
        if value is None and not param.required:
            continue
        if _is_option(param) and getattr(param, "is_flag", False):
            continue
        value = value if value is not None else _filler(param, files)
        args += [param.opts[0], value] if _is_option(param) else [value]
    return args


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "data").mkdir()
    (tmp_path / "dir").mkdir()
    (tmp_path / "input.json").write_text("{}\n")
    return {"data": tmp_path / "data", "dir": tmp_path / "dir", "file": tmp_path / "input.json"}


def test_the_walk_finds_every_command() -> None:
    # A guard on the walk itself: if it found nothing, the sweeps below would prove nothing.
    names = {" ".join(p) for p in LEAVES}
    assert {"ingest postings", "postings show", "runs", "lily decompose", "score", "up"} <= names
    assert len(names) >= 25


@pytest.mark.parametrize("path", list(LEAVES), ids=" ".join)
def test_every_command_has_help_and_refuses_unknown_options(path: tuple[str, ...]) -> None:
    helped = invoke([*path, "--help"])
    assert_clean(helped, {0})
    assert "Usage" in helped.output and (LEAVES[path].help or "").strip()
    wrong = invoke([*path, "--no-such-option"])
    assert_clean(wrong, {ExitCode.USAGE})
    assert "error:" in wrong.output and "--no-such-option" in wrong.output


@pytest.mark.parametrize("path", list(LEAVES), ids=" ".join)
def test_every_constrained_parameter_refuses_a_bad_value(
    path: tuple[str, ...], files: dict[str, Path]
) -> None:
    cmd = LEAVES[path]
    checked = 0
    for param in cmd.params:
        for bad in _bad(param) if param.name != "data_dir" else [str(files["file"])]:
            checked += 1
            args = _args(cmd, files, (param, bad))
            if param.name == "data_dir":
                args[args.index("--data-dir") + 1] = bad
            result = invoke([*path, *args])
            assert_clean(result, {ExitCode.USAGE})
            shown = param.opts[0] if _is_option(param) else f"'{param.metavar or param.name}'"
            assert "error:" in result.output and shown in result.output, result.output
    if path in STARTS_SERVICES:
        assert checked, f"`turing {' '.join(path)}` must refuse something before it starts services"


def test_every_number_is_range_checked() -> None:
    # A negative --limit once reached PostgreSQL as a traceback: every number gets a range.
    unbounded = [
        f"turing {' '.join(path)} {param.opts[0]}"
        for path, cmd in LEAVES.items()
        for param in cmd.params
        if _annotation(param) in (int, float)
        and param.min is None
        and param.max is None
        and param.callback is None
    ]
    assert unbounded == []


@pytest.mark.parametrize(
    "path",
    [
        p
        for p, c in LEAVES.items()
        if any(x.name == "data_dir" for x in c.params) and p not in STARTS_SERVICES | NO_STACK_NEEDED
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("state", ["never started", "stopped"])
def test_without_a_stack_every_command_says_what_to_do(
    path: tuple[str, ...], state: str, files: dict[str, Path]
) -> None:
    if state == "stopped":
        _record_a_stopped_stack(files["data"])
    result = invoke([*path, *_args(LEAVES[path], files)])
    if path == ("down",):
        assert_clean(result, {ExitCode.OK})  # stopping nothing is not a failure
        return
    assert_clean(result, {ExitCode.FAILED, ExitCode.USAGE})
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output  # one line, not a screen
    if result.exit_code == ExitCode.FAILED:
        assert "`turing up`" in lines[0], lines[0]


def _record_a_stopped_stack(data_dir: Path) -> None:
    """The state file of a stack whose processes have all exited (as after a reboot)."""
    import subprocess

    from infra.stack_state import STATE_FILE

    gone = subprocess.Popen(["true"])
    gone.wait()
    state = {"data_dir": str(data_dir), "storage": "memory", "broker_port": 1, "postgres_port": 2,
             "api_port": 3, "pids": {"broker": gone.pid, "api": gone.pid}, "worker": False}  # fmt: skip
    (data_dir / STATE_FILE).write_text(json.dumps(state))


def test_an_unexpected_exception_is_one_line_unless_debugging(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("infra.taxonomies.in_force", broken)
    result = invoke(["taxonomy", "lookup", "js"])
    assert_clean(result, {ExitCode.FAILED})
    assert "error: unexpected RuntimeError: boom — in `turing taxonomy lookup`" in result.output
    assert "TURING_DEBUG=1" in result.output and "second line" not in result.output
    debugged = invoke(["taxonomy", "lookup", "js"], env={"TURING_DEBUG": "1"})
    assert isinstance(debugged.exception, RuntimeError)


def test_version_comes_from_the_package() -> None:
    from importlib.metadata import version

    result = invoke(["--version"])
    assert_clean(result, {0})
    assert result.output.strip() == f"turing {version('turing')}" == f"turing {VERSION}"


def test_exit_codes_are_the_documented_ones() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4]
    table = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    for code in ExitCode:
        assert f"| {int(code)} |" in table


@pytest.mark.parametrize(
    ("summary", "code"),
    [
        ({"new": 2, "changed": 1, "unchanged": 0, "rejected": 0}, ExitCode.OK),
        ({"new": 0, "changed": 0, "unchanged": 3, "rejected": 0}, ExitCode.OK),
        ({"new": 1, "changed": 0, "unchanged": 0, "rejected": 2}, ExitCode.PARTIAL),
        ({"new": 0, "changed": 0, "unchanged": 0, "rejected": 2}, ExitCode.NONE_ACCEPTED),
        ({"new": 0, "changed": 0, "unchanged": 0, "rejected": 0}, ExitCode.NONE_ACCEPTED),
    ],
)
def test_intake_exit_code(summary: dict[str, int], code: ExitCode) -> None:
    assert intake_exit(summary) is code


def test_json_timestamps_are_iso_8601_with_t_and_offset() -> None:
    row = {
        "at": datetime(2026, 10, 22, 16, 40, tzinfo=UTC),
        "day": date(2026, 10, 22),
        "id": UUID(int=1),
        "salary": Decimal("85000"),
        "rate": Decimal("0.25"),
        "tags": ("a",),
    }
    assert json.loads(to_json(row)) == {
        "at": "2026-10-22T16:40:00+00:00",
        "day": "2026-10-22",
        "id": "00000000-0000-0000-0000-000000000001",
        "salary": 85000,
        "rate": 0.25,
        "tags": ["a"],
    }


def test_labels_are_styled_and_messages_are_shown_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    note("rejected", "yellow", "f.jsonl: line 4: [bold]title[/] must be text")
    err = capsys.readouterr().err
    assert err == "rejected f.jsonl: line 4: [bold]title[/] must be text\n"


def test_record_shapes_are_recognised() -> None:
    posting = json.loads((SAMPLES / "postings.jsonl").read_text().splitlines()[0])
    profile = json.loads((SAMPLES / "profiles.jsonl").read_text().splitlines()[0])
    assert kind_of(posting) == "posting" and kind_of(profile) == "profile"
    assert kind_of({"id": "x", "location": "Berlin"}) is None
    assert kind_of(sniff(b"id,title,company,description\n1,a,b,c\n", "p.csv")[0]) == "posting"
    assert sniff(b"", "empty.jsonl") == [] and sniff(b"\xff\xfe", "bin") == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ingest", "profiles", str(SAMPLES / "postings.jsonl")], "looks like a posting file"),
        (["ingest", "postings", str(SAMPLES / "profiles.jsonl")], "looks like a profile file"),
    ],
)
def test_swapped_ingest_files_are_named(args: list[str], says: str, files: dict[str, Path]) -> None:
    result = invoke([*args, "--data-dir", str(files["data"])])
    assert_clean(result, {ExitCode.USAGE})
    assert says in result.output and "did you mean" in result.output


def test_swapped_score_files_are_named(tmp_path: Path) -> None:
    posting = tmp_path / "posting.json"
    profile = tmp_path / "profile.json"
    posting.write_text((SAMPLES / "postings.jsonl").read_text().splitlines()[0])
    profile.write_text((SAMPLES / "profiles.jsonl").read_text().splitlines()[0])
    result = invoke(["score", "--profile", str(posting), "--posting", str(profile)])
    assert_clean(result, {ExitCode.USAGE})
    assert f"{posting} looks like a posting file (it has title/company/description), not a profile" in (
        result.output
    )
    assert "did you swap --profile and --posting?" in result.output
    assert "Extra inputs" not in result.output


def test_lily_decompose_is_readable_by_default_and_json_lines_with_json() -> None:
    lines = "Registered Nurse (RN) licence required\n3+ years of relevant experience\n"
    human = invoke(["lily", "decompose"], input=lines)
    assert_clean(human, {0})
    assert "1. Registered Nurse (RN) licence required" in human.output
    assert "C Registered Nurse (licence)" in human.output and "E ≥ 3 years (relevant)" in human.output
    assert "{" not in human.output
    as_json = invoke(["lily", "decompose", "--json"], input=lines)
    assert_clean(as_json, {0})
    rows = as_json.output.splitlines()
    assert len(rows) == 2 and all(json.loads(r)["proof_stacks"] for r in rows)


def test_lily_decompose_bad_bytes_are_a_usage_error() -> None:
    result = runner.invoke(app, ["lily", "decompose"], input=b"ok line\n\xff\xfe\n")
    assert_clean(result, {ExitCode.USAGE})
    assert "stdin: line 2 is not valid UTF-8" in result.output


def test_a_lookup_without_a_match_fails() -> None:
    result = invoke(["taxonomy", "lookup", "zzzzqqq"])
    assert_clean(result, {ExitCode.FAILED})
    assert "no skill matches 'zzzzqqq'" in result.output
    as_json = invoke(["taxonomy", "lookup", "zzzzqqq", "--json"])
    assert_clean(as_json, {ExitCode.FAILED})
    assert json.loads(as_json.output)["found"] is False


def _rendered(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_data_in_tables_and_trees_is_shown_as_written() -> None:
    from infra.cli.ingest_cmds import postings_table
    from infra.cli.projection_cmds import trace_tree

    title = "[remote] Backend Engineer [/]"
    row = {"posting_id": "p-[1]", "version": 1, "status": "open", "title": title, "company": "[b]Acme",
           "location": "Berlin", "work_model": None, "salary_min": None, "salary_max": None}  # fmt: skip
    table = _rendered(postings_table([row]))
    assert title in table and "[b]Acme" in table and "p-[1]" in table
    event = {"event_id": "e1", "event_type": "posting.observed", "topic": "postings", "partition": 0,
             "offset": 3, "occurred_at": "2026-10-22T16:40:00+00:00",
             "producer": {"component": "intake", "version": "0.1.0"}}  # fmt: skip
    tree = _rendered(
        trace_tree({"id": "p-1", "field": "title", "value": title, "event": event, "causes": []})
    )
    assert repr(title) in tree and "set by posting.observed e1" in tree


def test_the_installed_command_writes_nothing_but_its_answer(tmp_path: Path) -> None:
    # Through the entry point, where libraries are imported: their warnings must not reach users.
    import subprocess
    import sys

    turing = str(Path(sys.executable).parent / "turing")
    env = {k: v for k, v in os.environ.items() if k != "TURING_DEBUG"}
    version = subprocess.run([turing, "--version"], capture_output=True, text=True, env=env, timeout=120)
    assert (version.returncode, version.stdout, version.stderr) == (0, f"turing {VERSION}\n", "")
    refused = subprocess.run([turing, "runs", "--status", "bogus", "--data-dir", str(tmp_path)],
                             capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert refused.returncode == ExitCode.USAGE and refused.stdout == ""
    assert (
        refused.stderr.startswith("error: Invalid value for '--status'") and refused.stderr.count("\n") == 1
    )


def test_a_profile_with_bad_fields_is_one_line_naming_them(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"id": "p", "years_experience": -1, "skills": [{"x": 1}]}))
    posting = tmp_path / "posting.json"
    posting.write_text((SAMPLES / "postings.jsonl").read_text().splitlines()[0])
    result = invoke(["score", "--profile", str(profile), "--posting", str(posting)])
    assert_clean(result, {ExitCode.USAGE})
    assert result.output.count("\n") == 1 and result.output.startswith(f"error: {profile}: years_experience:")
    assert "skills.0.name: Field required" in result.output


def test_score_refuses_json_nested_too_deeply_as_a_usage_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 6000 + "]" * 6000)
    posting = SAMPLES / "postings.jsonl"
    first = tmp_path / "posting.json"
    first.write_text(posting.read_text().splitlines()[0])
    result = runner.invoke(app, ["score", "--profile", str(deep), "--posting", str(first), "--json"])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "nested too deeply" in result.output and "Traceback" not in result.output
