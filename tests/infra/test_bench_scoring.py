"""The scoring benchmark runs end to end on a tiny batch and its two implementations agree."""

from __future__ import annotations

import json

import pytest

from infra.bench_scoring import main


def test_bench_scoring_small_run(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--profiles", "5", "--postings", "40", "--reference-sample", "100", "--score-sample", "5"])
    result = json.loads(capsys.readouterr().out)
    assert rc == 0
    for key in (
        "parameters",
        "vectorised",
        "reference",
        "comparison",
        "ratio_vectorised_vs_reference",
        "full_score",
        "peak_rss_mib",
    ):
        assert key in result
    assert result["comparison"]["equal"] is True
    assert result["comparison"]["pairs"] == 100
    assert result["vectorised"]["pairs"] == 200
    assert result["full_score"]["fit_disagreements_with_matrix"] == 0
    assert result["vectorised"]["pairs_per_s"] > 0 and result["reference"]["pairs_per_s"] > 0
