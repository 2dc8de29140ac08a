"""Sentence splitting, normalisation and named things."""

from __future__ import annotations

import time

import pytest

from processors.steps.sentences import PostingIndex, clip, core, named_things, sentences, split_sentences


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wir bieten Weiterbildungen, z. B. zum Meister. Bewerben Sie sich!", 2),
        ("Tools, e.g. Python and Go. We also use Rust.", 2),
        ("Report to Dr. Smith. She leads the lab.", 2),
        ("Budget of €1.5M per year. Salary 3.5 LPA.", 2),
        ("Capivara Pagamentos S.A. is a fintech.", 1),
        ("Sage, Cegid etc. are used. Next sentence.", 2),
        ("Mind. B2 Deutsch. Führerschein Klasse B.", 2),
        ("第一句。第二句。", 2),
    ],
)
def test_split_respects_abbreviations_and_decimals(line: str, expected: int) -> None:
    assert len(split_sentences(line)) == expected


def test_lines_are_boundaries_and_wording_is_kept() -> None:
    text = "Intro sentence here\n- Bullet one\n- Bullet two. Still bullet two"
    assert sentences(text) == ["Intro sentence here", "- Bullet one", "- Bullet two.", "Still bullet two"]


def test_core_ignores_case_quotes_bullets_and_edge_punctuation() -> None:
    assert core("- We\u2019re Hiring!") == core("we're hiring")


def test_named_things_skip_the_first_word() -> None:
    found = list(named_things("The team uses Kafka, pays $165,000 and answers at jobs@example.com."))
    assert "The" not in found
    assert {"Kafka", "$165,000", "jobs@example.com"} <= set(found)


def test_index_finds_names_and_numbers() -> None:
    index = PostingIndex("We use Kafka and process ~40M events. Pay: $165,000.")
    assert index.has_name("kafka") and index.has_name("40") and index.has_name("$165,000")
    assert not index.has_name("Terraform")
    assert not index.has_name("$200,000")


def test_clip_keeps_a_prefix_at_a_word_boundary() -> None:
    text = "one two three four five six"
    assert clip(text, 12) == "one two"
    assert text.startswith(clip(text, 12))


def test_splitting_a_huge_line_is_linear() -> None:
    line = "word. " * 1_000_000 + "x" * 1_000_000
    start = time.perf_counter()
    found = sentences(line)
    assert time.perf_counter() - start < 2.0
    assert 0 < len(found) <= 2_000
