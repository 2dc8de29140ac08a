"""`turing lily eval`: a labelled file (any ruleset, lines passed) or a public corpus (the skills eval's figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.cli.app import app

runner = CliRunner()
LABELLED = Path(__file__).resolve().parents[2] / "sample_data" / "lily_labelled.jsonl"


@pytest.fixture(scope="module")
def esco_linker():
    from infra.linking_index import default_linker

    return default_linker("esco")


def _one(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _json(args: list[str]) -> list[dict]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_the_corpus_evaluation_is_the_skills_eval_one(esco_linker, public_slices) -> None:
    tail = ["--corpus", "skillspan", "--split", "dev", "--ruleset", "hybrid-1", "--limit", "5", "--json"]
    lily = _json(["lily", "eval", *tail])
    skills = _json(["skills", "eval", *tail])
    assert [r["source"] for r in lily] == ["house", "tech"]
    assert lily == skills


def test_a_labelled_file_with_hybrid_1_reports_lines_passed(esco_linker, tmp_path: Path) -> None:
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    wanted = [ln for ln in lines if "Ten-plus years of Java" in ln] + [ln for ln in lines if "French" in ln][
        :2
    ]
    sample = tmp_path / "few.jsonl"
    sample.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    by_ruleset = {
        r: _one(["lily", "eval", str(sample), "--ruleset", r, "--json"]) for r in ("rules-1", "hybrid-1")
    }
    for ruleset, answer in by_ruleset.items():
        assert answer["ruleset"] == ruleset and answer["lines"] == len(wanted)
        assert 0 <= answer["passed"] <= answer["lines"]
        assert answer["pass_rate"] == round(answer["passed"] / answer["lines"], 3)
    experience = {r: {x["layer"]: x for x in a["layers"]}["experience"] for r, a in by_ruleset.items()}
    assert experience["hybrid-1"]["tp"] > experience["rules-1"]["tp"]  # "ten-plus years"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lily", "eval"], "--corpus skillspan"),
        (["lily", "eval", str(LABELLED), "--corpus", "skillspan"], "not both"),
        (["lily", "eval", "--corpus", "skillspan", "--ruleset", "rules-broad"], "rules-1 or hybrid-1"),
        (["lily", "eval", "--corpus", "green"], "skillspan"),
        (["lily", "eval", "--corpus", "skillspan", "--split", "train"], "dev"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_held_back_split_that_is_not_here_is_named(public_slices) -> None:
    result = runner.invoke(
        app, ["lily", "eval", "--corpus", "skillspan", "--split", "test", "--ruleset", "rules-1"]
    )
    assert result.exit_code == 1 and "held back" in result.output and "Traceback" not in result.output


def test_a_conll_file_is_scored_on_the_entities_asked_for(tmp_path: Path) -> None:
    conll = tmp_path / "jobs.conll"
    conll.write_text(
        "Experience O\nwith O\nPython B-Skill\nand O\nSQL B-Skill\n\nA O\nPhD B-Qualification\n",
        encoding="utf-8",
    )
    row = _one(["lily", "eval", str(conll), "--corpus", "conll", "--ruleset", "rules-1", "--json"])
    assert row["corpus"] == "conll" and row["entities"] == ["Skill"] and row["sentences"] == 2
    assert row["gold_spans"] == 2 and row["lenient"]["recall"] == 1.0
    quals = _one(["lily", "eval", str(conll), "--corpus", "conll", "--entity", "Qualification",
                  "--ruleset", "rules-1", "--json"])  # fmt: skip
    assert quals["gold_spans"] == 1
    missing = runner.invoke(app, ["lily", "eval", "--corpus", "conll"])
    assert missing.exit_code == 2 and "give the CoNLL file" in missing.output
    bad = tmp_path / "bad.conll"
    bad.write_text("ok O\nbad Skill\n", encoding="utf-8")
    refused = runner.invoke(app, ["lily", "eval", str(bad), "--corpus", "conll", "--ruleset", "rules-1"])
    assert refused.exit_code == 2 and "line 2" in refused.output
