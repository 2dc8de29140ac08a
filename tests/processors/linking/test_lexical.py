"""The lexical side on a small taxonomy written here: word for word, reordered, misspelt, cased."""

from __future__ import annotations

import pytest

from processors.linking.lexical import NAME, REORDERED, SYNONYM, LexicalIndex
from processors.linking.text import content_key, words
from processors.taxonomy.model import Skill

SKILLS = [
    Skill("01.01.01.001", "manage staff", ("supervise employees",)),
    Skill("01.01.01.002", "JavaScript", ("JS",)),
    Skill("01.01.01.003", "Python (computer programming)", ("Python",)),
    Skill("01.01.01.004", "R"),
    Skill("01.01.01.005", "Go (programming)"),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(SKILLS)


def found(index: LexicalIndex, line: str) -> dict[str, tuple[float, str, str]]:
    ws = words(line)
    return {
        SKILLS[i].name: (h.weight, h.how, line[ws[h.start].start : ws[h.end - 1].end])
        for i, h in index.find(line, ws).items()
    }


def test_names_and_synonyms_word_for_word(index):
    got = found(index, "You will manage staff and write JS daily")
    assert got["manage staff"] == (NAME, "exact", "manage staff")
    assert got["JavaScript"] == (SYNONYM, "exact", "JS")


def test_inflected_and_reordered_words_still_name_the_skill(index):
    assert found(index, "Staff management experience")["manage staff"] == (
        REORDERED,
        "reordered",
        "Staff management",
    )
    assert content_key("managing staff") == content_key("staff management") == content_key("manage staff")


def test_a_misspelt_word_is_corrected_by_rapidfuzz_with_less_weight(index):
    weight, how, mention = found(index, "Deep Javascipt knowledge")["JavaScript"]
    assert how == "fuzzy" and mention == "Javascipt" and 0.7 < weight < NAME


def test_a_parenthesis_qualifier_may_be_left_out(index):
    assert found(index, "Python and SQL")["Python (computer programming)"][1] == "exact"


def test_short_aliases_count_only_as_written_and_never_first(index):
    assert "R" in found(index, "Statistics in R and SQL")
    assert "R" not in found(index, "Statistics in r and SQL")
    assert "R" not in found(index, "R and SQL")
    assert "Go (programming)" not in found(index, "Ready to go the extra mile")
    assert "Go (programming)" in found(index, "Services written in Go")


def test_filler_words_alone_name_nothing(index):
    assert found(index, "Strong experience and excellent skills") == {}
