"""A linked skill's mention grows to the phrase that names it, and no further."""

from __future__ import annotations

from processors.lily.mention_bounds import widen


def _grown(text: str, *parts: str) -> list[str]:
    spans = [(text.index(p), text.index(p) + len(p)) for p in parts]
    return [text[a:b] for a, b in widen(text, spans)]


def test_a_lower_case_mention_takes_its_phrase_and_skills():
    assert _grown("Excellent communication skills required", "communication") == ["communication skills"]
    assert _grown("Experience in comparative genomics", "genomics") == ["comparative genomics"]
    assert _grown("you know our sales processes well", "sales") == ["sales processes"]


def test_it_stops_at_fillers_punctuation_and_other_mentions():
    assert _grown("strong analytics, reporting", "analytics") == ["analytics"]
    assert _grown("python java sql", "python", "java", "sql") == ["python", "java", "sql"]
    assert _grown("knowledge of the tax code", "tax") == ["tax code"]


def test_a_name_stays_as_written_but_takes_skills():
    assert _grown("5+ years of Python development experience", "Python") == ["Python"]
    assert _grown("Strong SEO skills", "SEO") == ["SEO skills"]


def test_it_reaches_two_words_at_most_and_keeps_spans_it_cannot_place():
    assert _grown("modern distributed cloud native systems", "systems") == ["cloud native systems"]
    assert widen("abc", [(5, 9)]) == [(5, 9)]
