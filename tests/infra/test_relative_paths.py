"""Relative paths given by a user are resolved once, where they are read, whatever the cwd."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from infra.settings import Settings
from tests.conftest import SAMPLES, _short_tmp

TURING = str(Path(sys.executable).parent / "turing")


def _turing(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TURING_")}
    return subprocess.run(
        [TURING, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_settings_resolve_a_relative_data_dir_and_config_against_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "conf.toml").write_text('projection_schema = "proj"\n')
    monkeypatch.setenv("TURING_CONFIG", "conf.toml")
    monkeypatch.delenv("TURING_DATA_DIR", raising=False)
    assert Settings.load().data_dir == tmp_path / ".data" / "stack"
    assert Settings.load(Path("rel/dir")).data_dir == tmp_path / "rel" / "dir"


@pytest.mark.stack
def test_up_ingest_down_with_a_relative_data_dir_from_another_working_directory() -> None:
    # The durable (S3) stack is the one whose object store once took the relative path twice.
    root = _short_tmp("turing-rel-")
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SAMPLES / "postings.jsonl", elsewhere / "postings.jsonl")
    try:
        up = _turing("up", "--data-dir", "rel/dir", "--no-worker", cwd=elsewhere)
        assert up.returncode == 0, up.stdout + up.stderr
        state = json.loads((elsewhere / "rel" / "dir" / "stack.json").read_text())
        assert state["data_dir"] == str(elsewhere / "rel" / "dir")
        ingest = _turing(
            "ingest", "postings", "postings.jsonl", "--data-dir", "rel/dir", "--json", cwd=elsewhere
        )
        assert ingest.returncode == 0, ingest.stdout + ingest.stderr
        assert json.loads(ingest.stdout)["new"] == 36
    finally:
        down = _turing("down", "--data-dir", "rel/dir", cwd=elsewhere)
        shutil.rmtree(root, ignore_errors=True)
    assert down.returncode == 0, down.stdout + down.stderr
