"""Corpus readers on small slices: inline, and the first records of the real files."""

from __future__ import annotations

import pytest

from infra.corpora import CorpusMissing, esco_linking, linking_sources, skillspan
from processors.linking.corpora import CorpusFormatError, parse_conll, parse_esco_linking, parse_skillspan

LINKING = """sentence,span,sub_span,label
"Java, SQL and teamwork",Java,,Java (computer programming)
"Java, SQL and teamwork",SQL,,SQL
"Java, SQL and teamwork",teamwork,,LABEL NOT PRESENT
Be smart,smart,,UNDERSPECIFIED
"""

CONLL = "Experience\tO\tO\nin\tO\tO\nmachine\tO\tB-Knowledge\nlearning\tO\tI-Knowledge\n\nTeam\tB-Skill\tO\nplayer\tI-Skill\tO\n"


def test_linking_rows_group_by_sentence_and_no_label_rows_are_not_gold():
    sentences = parse_esco_linking(LINKING)
    assert [s.sentence for s in sentences] == ["Java, SQL and teamwork", "Be smart"]
    assert sentences[0].gold == {"Java (computer programming)", "SQL"}
    assert len(sentences[0].spans) == 3 and sentences[1].gold == frozenset()


def test_sentence_level_links_need_no_span_column():
    (only,) = parse_esco_linking(
        'sentence,label\n"Java and SQL",SQL\n"Java and SQL",Java (computer programming)\n'
    )
    assert only.gold == {"SQL", "Java (computer programming)"} and {s.span for s in only.spans} == {""}


def test_linking_file_without_the_columns_is_refused():
    with pytest.raises(CorpusFormatError, match="missing column"):
        parse_esco_linking("a,b\n1,2\n")


def test_skillspan_bio_tags_become_token_spans_per_kind():
    first, second = parse_skillspan(CONLL)
    assert first.text == "Experience in machine learning"
    assert [(s.start, s.end, s.kind) for s in first.spans] == [(2, 4, "knowledge")]
    assert [(s.start, s.end, s.kind) for s in second.spans] == [(0, 2, "skill")]


def test_skillspan_bad_lines_are_named():
    with pytest.raises(CorpusFormatError, match="line 2"):
        parse_skillspan("ok\tO\tO\nbroken line\n")
    with pytest.raises(CorpusFormatError, match="tag 'X'"):
        parse_skillspan("ok\tX\tO\n")


def test_the_real_dev_slices_read(public_slices):
    # tests/data/public: the first records of the real dev files, as build.py cut them
    tech = esco_linking("tech")
    assert len(tech) == 10 and sum(1 for s in tech if s.gold) == 8
    assert all(label != "LABEL NOT PRESENT" for s in tech for label in s.gold)
    house = skillspan("house")
    assert len(house) == 15 and sum(len(s.spans) for s in house) == 50
    assert {span.kind for s in house for span in s.spans} == {"skill", "knowledge"}
    with pytest.raises(CorpusMissing, match="held back"):
        esco_linking("tech", "test")
    with pytest.raises(CorpusMissing, match="held back"):
        skillspan("tech", "test")
    with pytest.raises(ValueError, match="not available"):
        esco_linking("tech", "train")


def test_a_placed_test_split_is_read_like_dev(public_slices, tmp_path, monkeypatch):
    for folder in ("esco_linking", "skillspan"):
        (tmp_path / folder).mkdir()
    dev = (public_slices / "esco_linking" / "tech_validation_annotations.csv").read_text(encoding="utf-8")
    (tmp_path / "esco_linking" / "tech_test_annotations.csv").write_text(dev, encoding="utf-8")
    monkeypatch.setenv("TURING_PUBLIC_DATA", str(tmp_path))
    assert esco_linking("tech", "test") == parse_esco_linking(dev)
    assert linking_sources("test") == ("tech",) and linking_sources("dev") == ("tech", "house")
    (tmp_path / "esco_linking" / "techwolf_test_annotations.csv").write_text(dev, encoding="utf-8")
    assert linking_sources("test") == ("tech", "techwolf") and esco_linking("techwolf", "test")
    with pytest.raises(ValueError, match="no ESCO-linking dev source 'techwolf'"):
        esco_linking("techwolf", "dev")


GREEN_STYLE = """-DOCSTART- O

We O
need O
strong B-Skill
communication I-Skill
skills I-Skill
and O
a O
degree B-Qualification
in I-Qualification
maths I-Qualification

Java B-Skill
Spring B-Skill
, O
five B-Experience
years I-Experience
"""


def test_conll_2003_style_keeps_the_entity_types_asked_for():
    first, second = parse_conll(GREEN_STYLE, frozenset({"skill"}))
    assert first.text == "We need strong communication skills and a degree in maths"
    assert [(s.start, s.end, s.kind) for s in first.spans] == [(2, 5, "skill")]
    # B- opens a new span even right after another of the same type
    assert [(s.start, s.end) for s in second.spans] == [(0, 1), (1, 2)]
    both = parse_conll(GREEN_STYLE, frozenset({"Skill", "Qualification"}))[0]
    assert [(s.start, s.end, s.kind) for s in both.spans] == [(2, 5, "skill"), (7, 10, "qualification")]


def test_conll_bad_tags_and_lines_are_named():
    with pytest.raises(CorpusFormatError, match="line 2: tag 'Skill'"):
        parse_conll("ok O\nbad Skill\n", frozenset({"skill"}))
    with pytest.raises(CorpusFormatError, match="line 1: expected a token and a tag"):
        parse_conll("lonely\n", frozenset({"skill"}))
