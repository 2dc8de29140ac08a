"""The quality commands refuse bad arguments before contacting any service (exit 2, one line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["jury", "run", "--profile", "p", "--posting", "q", "--engine", "bob=rules:x"], "unknown jury role"),
        (["jury", "run", "--profile", "p", "--posting", "q", "--engine", "helen=nocolon"], "ENGINE:MODEL"),
        (["jury", "run", "--profile", "p", "--posting", "q", "--engine", "helen"], "ROLE=ENGINE:MODEL"),
        (
            ["feedback", "add", "--profile", "p", "--posting", "q", "--verdict", "right", "--reason", "  "],
            "reason",
        ),
        (["qa", "sample", "--target", "summary", "--per-dimension", "1", "--where", "status=open"], "COLUMN"),
        (["qa", "review", "abc", "--verdict", "ok", "--note", " "], "--note"),
        (["eval", "report", "--since", "last tuesday"], "ISO 8601"),
    ],
)
def test_bad_arguments_are_usage_errors(args: list[str], says: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in result.output, result.output
