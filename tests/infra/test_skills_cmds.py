"""`turing skills link` and `turing skills eval`: JSON lines, the exit-code contract, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.cli.app import app
from infra.cli.common import ExitCode
from infra.cli.skills_cmds import MAX_LINE

TURING = str(Path(sys.executable).parent / "turing")
runner = CliRunner()


@pytest.fixture(scope="module")
def esco_linker():
    # Loaded once: the in-process commands below reuse it (`default_linker` is cached).
    from infra.linking_index import default_linker

    return default_linker("esco")


def test_link_reads_stdin_and_answers_one_json_line_per_line() -> None:
    proc = subprocess.run([TURING, "skills", "link", "--json", "--top", "3"],
                          input="Strong Python and SQL skills\n\nExperience managing staff\n",
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 3]
    first = rows[0]["skills"][0]
    assert set(first) >= {"label", "uri", "code", "score", "mention"}
    assert {s["label"] for s in rows[0]["skills"][:2]} == {"Python (computer programming)", "SQL"}
    assert rows[1]["skills"][0]["label"] == "manage staff"
    assert rows[1]["skills"][0]["mention"] == {"text": "managing staff", "start": 11, "end": 25}
    assert rows[0]["linker"].startswith("linker/1:esco-1.2.0:")


def test_link_a_file_with_a_rejected_line_exits_3(tmp_path, esco_linker) -> None:
    f = tmp_path / "lines.txt"
    f.write_text("Fluent in German\n" + "x" * (MAX_LINE + 1) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["skills", "link", "--file", str(f), "--json", "--top", "1"])
    assert result.exit_code == ExitCode.PARTIAL, result.output
    assert "line 2" in result.output and "Traceback" not in result.output
    row = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert row["skills"][0]["label"] == "German"


def test_link_without_lines_exits_4_and_bad_input_exits_2(tmp_path) -> None:
    empty = runner.invoke(app, ["skills", "link"], input="\n  \n")
    assert empty.exit_code == ExitCode.NONE_ACCEPTED and "no line to link" in empty.output
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe\n")
    result = runner.invoke(app, ["skills", "link", "--file", str(bad)])
    assert result.exit_code == ExitCode.USAGE and "line 2 is not valid UTF-8" in result.output
    assert runner.invoke(app, ["skills", "link", "--top", "0"]).exit_code == ExitCode.USAGE


def test_eval_on_a_slice_of_esco_linking_dev(esco_linker, public_slices) -> None:
    result = runner.invoke(
        app, ["skills", "eval", "--corpus", "esco-linking", "--split", "dev", "--limit", "8", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["source"] for r in rows] == ["tech", "house"]
    for r in rows:
        assert 0 < r["sentences"] <= 8 and r["limit"] == 8
        assert 0.2 < r["rp5"] <= 1.0 and r["rp5"] <= r["mrr"] * 5
    held_back = runner.invoke(app, ["skills", "eval", "--split", "test"])
    assert held_back.exit_code == ExitCode.FAILED and "held back" in held_back.output
    assert "Traceback" not in held_back.output
    assert runner.invoke(app, ["skills", "eval", "--split", "train"]).exit_code == ExitCode.USAGE


def test_eval_skillspan_dev_slice_for_both_rulesets(esco_linker, public_slices) -> None:
    rows = {}
    for ruleset in ("rules-1", "hybrid-1"):
        args = [
            "skills",
            "eval",
            "--corpus",
            "skillspan",
            "--split",
            "dev",
            "--ruleset",
            ruleset,
            "--limit",
            "8",
            "--json",
        ]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        rows[ruleset] = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    for ruleset, found in rows.items():
        assert [r["source"] for r in found] == ["house", "tech"] and all(
            r["ruleset"] == ruleset for r in found
        )
        for r in found:
            assert r["sentences"] == 8 and 0.0 <= r["strict"]["f1"] <= r["lenient"]["f1"] <= 1.0
    # the same gold either way: only the reader differs
    assert [r["gold_spans"] for r in rows["rules-1"]] == [r["gold_spans"] for r in rows["hybrid-1"]]
