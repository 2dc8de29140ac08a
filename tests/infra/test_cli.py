"""The `turing` command as a user runs it: JSON answers, clear errors, help everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

TURING = str(Path(sys.executable).parent / "turing")


def run(*args: str, data_dir: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    if data_dir is not None:
        env["TURING_DATA_DIR"] = str(data_dir)
    proc = subprocess.run([TURING, *args], capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["up"],
        ["down"],
        ["status"],
        ["init"],
        ["demo"],
        ["ingest", "postings"],
        ["postings", "withdraw"],
        ["postings", "list"],
        ["postings", "show"],
        ["trace", "posting"],
        ["projections", "rebuild"],
        ["projections", "run"],
        ["reprocess"],
        ["runs"],
        ["diff", "posting"],
        ["rollback", "posting"],
        ["worker"],
        ["lily", "decompose"],
        ["lily", "eval"],
        ["taxonomy", "lookup"],
        ["taxonomy", "import-esco"],
        ["taxonomy", "load"],
        ["ingest", "profiles"],
        ["score"],
        ["search", "profile"],
        ["trace", "match"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    assert "Usage" in run(*command, "--help").stdout


def test_commands_without_a_stack_explain_what_to_do(tmp_path: Path) -> None:
    proc = run("postings", "list", data_dir=tmp_path, check=False)
    assert proc.returncode == 1
    assert "turing up" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.stack
def test_ingest_trace_and_rebuild_from_the_command_line(fresh_stack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fresh_stack[0]
    bad = tmp_path / "mixed.jsonl"
    good = (SAMPLES / "postings.jsonl").read_bytes().splitlines()[:3]
    bad.write_bytes(
        b"\n".join([*good, b"{broken", b'{"id": "x-1", "title": 7}', b"\xff\xfe bad bytes"]) + b"\n"
    )
    rejects = tmp_path / "rejects.jsonl"
    proc = run(
        "ingest", "postings", str(bad), "--json", "--rejects", str(rejects), data_dir=root, check=False
    )
    assert proc.returncode == 3, proc.stderr  # some records rejected, the others accepted
    assert json.loads(proc.stdout) == {"new": 3, "changed": 0, "unchanged": 0, "rejected": 3}
    assert "line 4" in proc.stderr and "line 5" in proc.stderr and "UTF-8" in proc.stderr
    kept = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [r["line"] for r in kept] == [4, 5, 6]
    assert any("title: must be text" in e for e in kept[1]["errors"])
    again = run("ingest", "postings", str(bad), "--json", data_dir=root, check=False)
    assert json.loads(again.stdout)["unchanged"] == 3
    posting_id = json.loads(good[0])["id"]
    trace = json.loads(
        run("trace", "posting", posting_id, "company", "--verify", "--json", data_dir=root).stdout
    )
    assert trace["verified"] is True and trace["event"]["event_type"] == "posting.observed"
    rebuilt = json.loads(run("projections", "rebuild", "--json", data_dir=root).stdout)
    assert set(rebuilt) >= {"events", "seconds", "events_per_s", "checksum_live", "checksum_rebuilt", "equal"}
    assert rebuilt["equal"] is True
    missing = run("trace", "posting", "nope", "title", data_dir=root, check=False)
    assert missing.returncode == 1 and "no posting with id 'nope'" in missing.stderr
    withdrawn = json.loads(run("postings", "withdraw", posting_id, "--json", data_dir=root).stdout)
    assert withdrawn["topic"] == "postings"
    listed = json.loads(run("postings", "list", "--json", "--status", "withdrawn", data_dir=root).stdout)
    assert [p["posting_id"] for p in listed] == [posting_id]
    status = json.loads(run("status", "--json", data_dir=root).stdout)
    assert status["running"] is True and {c["name"] for c in status["components"]} == {
        "broker",
        "postgres",
        "api",
    }


def test_lily_decompose_reads_stdin_and_answers_one_json_line_per_input_line() -> None:
    lines = "Registered Nurse (RN) licence required\n3+ years of relevant experience\nFluent German\n"
    proc = subprocess.run([TURING, "lily", "decompose", "--json", "--title", "ICU Nurse"], input=lines,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["text"] for a in answers] == lines.strip().split("\n")
    assert answers[0]["proof_stacks"][0]["certification"]["kind"] == "licence"
    assert "NEEDS_CONTEXT" in answers[1]["proof_stacks"][0]["flags"]


def test_lily_eval_prints_per_layer_precision_and_recall() -> None:
    answer = json.loads(run("lily", "eval", str(SAMPLES / "lily_labelled.jsonl"), "--json").stdout)
    layers = {row["layer"]: row for row in answer["layers"]}
    assert answer["lines"] >= 150
    assert {"skill", "experience", "certification", "track_record"} <= set(layers)
    assert layers["certification"]["recall"] > 0.8


def test_reprocess_rejects_bad_arguments_with_a_clear_message(tmp_path: Path) -> None:
    proc = run("reprocess", "--step", "nope", "--all", "--reason", "x", data_dir=tmp_path, check=False)
    assert proc.returncode == 2 and "unknown start step 'nope'" in proc.stderr and "lily" in proc.stderr
    proc = run(
        "reprocess",
        "--step",
        "lily",
        "--model",
        "lily",
        "--all",
        "--reason",
        "x",
        data_dir=tmp_path,
        check=False,
    )
    assert proc.returncode == 2 and "STEP=ENGINE:MODEL" in proc.stderr
