"""R-Precision@K and MRR, worked by hand."""

from __future__ import annotations

import pytest

from processors.linking.corpora import LinkedSpan, LinkingSentence
from processors.linking.evaluate import evaluate, r_precision, reciprocal_rank


def test_r_precision_cuts_at_the_number_of_gold_labels():
    assert r_precision(["a", "x", "b"], frozenset({"a", "b"})) == 0.5  # top 2 holds one of two
    assert r_precision(["x", "y", "z", "w", "v", "a"], frozenset("abcdefg")) == 0.0  # cut at 5
    assert r_precision(["A"], frozenset({"a"})) == 1.0  # labels compare normalised
    with pytest.raises(ValueError):
        r_precision(["a"], frozenset())


def test_reciprocal_rank_is_one_over_the_first_hit():
    assert reciprocal_rank(["x", "y", "b"], frozenset({"b", "y"})) == 0.5
    assert reciprocal_rank(["x"], frozenset({"b"})) == 0.0


def test_evaluate_leaves_out_sentences_without_gold_and_counts_unreachable_labels():
    sentences = [
        LinkingSentence("s1", (LinkedSpan("a", "a"), LinkedSpan("gone", "gone"))),
        LinkingSentence("s2", (LinkedSpan("q", "LABEL NOT PRESENT"),)),
        LinkingSentence("s3", (LinkedSpan("c", "c"),)),
    ]
    answers = {"s1": ["a", "z"], "s3": ["z", "c"]}
    report = evaluate(sentences, lambda texts: [answers[t] for t in texts], lambda label: label != "gone")
    assert report.sentences == 2 and report.unreachable == 1
    assert report.rp5 == pytest.approx((0.5 + 0.0) / 2) and report.mrr == pytest.approx((1.0 + 0.5) / 2)
