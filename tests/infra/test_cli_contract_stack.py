"""The CLI contract on a running stack: intake exit codes, `postings show`, JSON timestamps, quiet models."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from infra.cli.app import app
from infra.cli.common import ExitCode
from infra.endpoints import Endpoints
from tests.conftest import SAMPLES

pytestmark = pytest.mark.stack
runner = CliRunner()
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def invoke(root: Path, *args: str) -> Result:
    result = runner.invoke(app, [*args, "--data-dir", str(root)], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    return result


def _lines(path: Path, n: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:n]


@pytest.fixture(scope="module")
def root(module_stack: tuple[Path, Endpoints]) -> Path:
    return module_stack[0]


def test_postings_with_every_record_rejected_exit_4(root: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x-1", "title": 7}\n{broken\n', encoding="utf-8")
    result = invoke(root, "ingest", "postings", str(bad), "--json")
    assert result.exit_code == ExitCode.NONE_ACCEPTED, result.output
    assert json.loads(result.stdout) == {"new": 0, "changed": 0, "unchanged": 0, "rejected": 2}
    assert "rejected bad.jsonl: line 1 (id x-1)" in result.stderr and "[yellow]" not in result.stderr


def test_profiles_partly_rejected_exit_3_then_wholly_rejected_exit_4(root: Path, tmp_path: Path) -> None:
    good = _lines(SAMPLES / "profiles.jsonl", 2)
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([*good, '{"id": "pr-bad", "years_experience": -3}']) + "\n")
    result = invoke(root, "ingest", "profiles", str(mixed))
    assert result.exit_code == ExitCode.PARTIAL, result.output
    assert "2 new" in result.stdout and "1 rejected" in result.stdout
    assert "rejected mixed.jsonl: line 3 (id pr-bad)" in result.stderr and "[yellow]" not in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "pr-bad", "years_experience": -3}\n')
    assert invoke(root, "ingest", "profiles", str(bad)).exit_code == ExitCode.NONE_ACCEPTED
    again = invoke(root, "ingest", "profiles", str(mixed), "--json")
    assert again.exit_code == ExitCode.PARTIAL
    assert json.loads(again.stdout)["unchanged"] == 2


def test_postings_list_and_show_answer_iso_timestamps(root: Path, tmp_path: Path) -> None:
    sample = tmp_path / "postings.jsonl"
    sample.write_text("\n".join(_lines(SAMPLES / "postings.jsonl", 2)) + "\n")
    assert invoke(root, "ingest", "postings", str(sample)).exit_code == ExitCode.OK
    listed = invoke(root, "postings", "list", "--json", "--limit", "10")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert rows and all(ISO.match(r["updated_at"]) for r in rows)
    posting_id = json.loads(_lines(SAMPLES / "postings.jsonl", 1)[0])["id"]
    shown = invoke(root, "postings", "show", posting_id, "--json")
    assert shown.exit_code == 0, shown.output
    doc = json.loads(shown.stdout)
    assert doc["posting_id"] == posting_id and doc["status"] == "open" and doc["version"] == 1
    assert len(doc["content_hash"]) >= 16 and "field_events" not in doc
    assert ISO.match(doc["first_seen_at"]) and ISO.match(doc["updated_at"])
    assert [v["version"] for v in doc["versions"]] == [1] and ISO.match(doc["versions"][0]["occurred_at"])
    human = invoke(root, "postings", "show", posting_id)
    assert human.exit_code == 0 and "content_hash" in human.stdout and doc["company"] in human.stdout
    assert "posting.observed" in human.stdout
    missing = invoke(root, "postings", "show", "no-such")
    assert missing.exit_code == ExitCode.FAILED
    assert "error: no posting with id 'no-such' — see `turing postings list`" in missing.stderr


def test_search_shows_no_third_party_progress_bar(root: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile.jsonl"
    profile.write_text(_lines(SAMPLES / "profiles.jsonl", 1)[0] + "\n")
    assert invoke(root, "ingest", "profiles", str(profile)).exit_code in (ExitCode.OK,)
    profile_id = json.loads(profile.read_text())["id"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    turing = str(Path(sys.executable).parent / "turing")
    proc = subprocess.run(
        [turing, "search", "profile", profile_id, "made the API faster", "--json", "--data-dir", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["mode"] == "hybrid"  # the model was loaded
    assert "Loading weights" not in proc.stderr and "it/s" not in proc.stderr, proc.stderr
