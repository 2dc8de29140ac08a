"""Span F1 on SkillSpan-shaped sentences: character spans to tokens, strict and lenient."""

from __future__ import annotations

import pytest

from processors.lily.span_eval import evaluate_spans, rules_spans, token_spans
from processors.linking.corpora import Span, TaggedSentence
from processors.taxonomy import store

S = TaggedSentence(("Experience", "with", "machine", "learning", "and", "team", "work"),
                   (Span(2, 4, "knowledge"), Span(5, 7, "skill")))  # fmt: skip


def test_character_spans_become_the_tokens_they_touch():
    text = S.text
    start = text.index("machine")
    assert token_spans(S, [(start, start + len("machine learning"))]) == {(2, 4)}
    assert token_spans(S, [(start + 2, start + 4)]) == {(2, 3)}
    assert token_spans(S, [(text.index(" and "), text.index(" and ") + 1)]) == set()


def test_strict_needs_the_same_tokens_lenient_an_overlap():
    text = S.text
    ml = text.index("machine")
    team = text.index("team")
    report = evaluate_spans([S], lambda texts: [[(ml, ml + 7), (team, team + len("team work"))]])
    assert (report.gold, report.predicted) == (2, 2)
    assert report.strict.precision == 0.5 and report.strict.recall == 0.5
    assert report.lenient.precision == 1.0 and report.lenient.recall == 1.0
    empty = evaluate_spans([S], lambda texts: [[]])
    assert empty.lenient.f1 == 0.0 and empty.strict.recall == 0.0


def test_rules_spans_are_what_rules_1_reads():
    text = "Python and SQL, fluent German"
    spans = rules_spans(text, store.builtin())
    assert {text[s:e] for s, e in spans} >= {"Python", "SQL", "German"}


@pytest.mark.parametrize("bad", [[(0, 0)], [(500, 600)]])
def test_spans_outside_the_text_count_as_nothing(bad):
    assert token_spans(S, bad) == set()
