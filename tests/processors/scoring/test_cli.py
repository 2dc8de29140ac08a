"""`score` through typer's CliRunner on a tiny app (the command is registered by the lead)."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from infra.cli import score_cmds

app = typer.Typer()
app.command("score")(score_cmds.score)
app.command("noop")(lambda: None)  # a second command keeps `score` a subcommand
runner = CliRunner()

PROFILE = {
    "id": "p1",
    "current_role": "Backend Engineer",
    "years_experience": 6,
    "skills": [{"name": "Python", "proficiency": "Expert"}, {"name": "SQL", "proficiency": "Proficient"}],
}
DERIVED = {
    "id": "q1",
    "title": "Backend Engineer",
    "work_model": "Remote",
    "extracted_skills": [{"name": "Python"}, {"name": "Go"}],
}
RAW = {
    "id": "raw-1",
    "title": "Data Engineer",
    "company": "Acme",
    "work_model": "remote",
    "description": "Requirements:\n- 3+ years of Python\n- Strong SQL skills\n- Kafka is a plus\n",
}


def _write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def test_json_answer_has_the_contract(tmp_path):
    res = runner.invoke(
        app,
        [
            "score",
            "--profile",
            _write(tmp_path, "p.json", PROFILE),
            "--posting",
            _write(tmp_path, "q.json", DERIVED),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert set(doc["fit"]["components"]) == {
        "hard_skills",
        "soft_skills",
        "experience",
        "role_match",
        "logistics",
    }
    assert set(doc["practical"]["components"]) == {
        "compensation",
        "availability",
        "timezone",
        "location",
        "language",
        "work_auth",
        "benefits",
    }
    for key in ("stretch", "non_negotiables", "ghost_score", "recommendation", "explanation", "suggestions"):
        assert key in doc
    assert doc["suggestions"][0]["target"] == "Go"


def test_raw_posting_runs_extraction_and_plain_output(tmp_path):
    res = runner.invoke(
        app,
        [
            "score",
            "--profile",
            _write(tmp_path, "p.json", PROFILE),
            "--posting",
            _write(tmp_path, "raw.json", RAW),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Fit" in res.output and "Stretch" in res.output and "Practical" in res.output


def test_baseline_flag(tmp_path):
    args = [
        "score",
        "--profile",
        _write(tmp_path, "p.json", PROFILE),
        "--posting",
        _write(tmp_path, "q.json", DERIVED),
        "--json",
        "--baseline",
    ]
    doc = json.loads(runner.invoke(app, args).output)
    assert doc["extensions"] == {
        "adjacency_credit": False,
        "proof_stack_layers": False,
        "recency_evidence": False,
    }


def test_bad_json_names_the_file(tmp_path):
    bad = _write(tmp_path, "bad.json", '{"id": 1')
    res = runner.invoke(app, ["score", "--profile", bad, "--posting", _write(tmp_path, "q.json", DERIVED)])
    assert (
        res.exit_code == 2 and "bad.json" in res.output and "not valid JSON" in " ".join(res.output.split())
    )


def test_bad_field_names_the_field(tmp_path):
    doc = {**PROFILE, "availability": "0101"}
    res = runner.invoke(
        app,
        [
            "score",
            "--profile",
            _write(tmp_path, "p.json", doc),
            "--posting",
            _write(tmp_path, "q.json", DERIVED),
        ],
    )
    assert res.exit_code == 2 and "availability" in res.output and "336" in res.output
