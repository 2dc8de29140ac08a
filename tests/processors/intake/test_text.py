"""Cleaning posting text: markup, entities, bullets, whitespace, control characters, mojibake."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.intake.text import clean_description, clean_inline, repair_mojibake


def test_tags_are_removed_and_entities_decoded() -> None:
    raw = "<p>We&#39;re <b>hiring</b> &amp; growing&nbsp;fast</p><div>Apply <a href='x'>here</a></div>"
    assert clean_description(raw) == "We're hiring & growing fast\n\nApply here"
    assert clean_inline("<b>R&amp;D</b>  Lead&nbsp;(Python)") == "R&D Lead (Python)"


def test_br_and_block_tags_become_line_breaks() -> None:
    assert clean_description("one<br>two<BR/>three<p>four</p>") == "one\ntwo\nthree\nfour"


def test_li_items_become_dash_bullets() -> None:
    cleaned = clean_description("<p>Duties</p><ul><li>Code</li><li class='x'>Review</li></ul>")
    lines = [line for line in cleaned.split("\n") if line]
    assert lines == ["Duties", "- Code", "- Review"]


def test_li_items_are_consecutive_lines() -> None:
    assert clean_description("<ul><li>Code</li><li>Review</li></ul>") == "- Code\n- Review"


def test_mixed_bullet_characters_are_normalised() -> None:
    raw = "Needs\n• Python\n· SQL\n▪ Go\n* Rust\n\u2013 Java\n— C\n- Kafka\n1. AWS\n2) GCP\n●  Docker"
    assert clean_description(raw) == (
        "Needs\n- Python\n- SQL\n- Go\n- Rust\n- Java\n- C\n- Kafka\n- AWS\n- GCP\n- Docker"
    )


def test_non_bullets_are_left_alone() -> None:
    raw = "-- not a bullet\n2026. A year\n10k users"
    assert clean_description(raw) == raw


@pytest.mark.parametrize("raw", ["a\n•\nb", "a\n- \nb", "a<ul><li></li></ul>b"])
def test_empty_bullets_are_dropped(raw: str) -> None:
    cleaned = clean_description(raw)
    assert all(line == line.rstrip() for line in cleaned.split("\n"))
    assert [line for line in cleaned.split("\n") if line] == ["a", "b"]


def test_blank_runs_collapse_and_trailing_spaces_go() -> None:
    raw = "\n\n  Intro   text  \n\n\n\n\t\nMore\u00a0\u00a0text\t \r\n\r\n\r\nEnd   \n\n\n"
    assert clean_description(raw) == "Intro text\n\nMore text\n\nEnd"


def test_control_characters_are_removed() -> None:
    raw = "Sen\x00ior\x07 Eng\u200bineer\ufeff\x7f\x0b\x1f"
    assert clean_description(raw) == "Senior Engineer"
    assert clean_inline(raw) == "Senior Engineer"


def test_output_is_nfc() -> None:
    decomposed = "Cafe\u0301 Zu\u0308rich"
    assert clean_description(decomposed) == "Café Zürich"
    assert clean_inline(decomposed) == "Café Zürich"
    assert unicodedata.is_normalized("NFC", clean_inline(decomposed))


def test_output_is_nfc_after_removing_zero_width_characters() -> None:
    assert clean_description("Cafe\u200b\u0301") == "Café"
    assert clean_inline("Cafe\x00\u0301") == "Café"


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("CafÃ©", "Café"),
        ("ZÃ¼rich â€\u201c Team", "Zürich \u2013 Team"),
        ("weâ€\u2122re hiring", "we\u2019re hiring"),
        ("Â£30,000", "£30,000"),
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed
    assert clean_inline(broken) == fixed
    assert clean_description(broken) == fixed


def test_mojibake_next_to_a_no_break_space_is_repaired() -> None:
    assert clean_inline("CafÃ©&nbsp;Bar") == "Café Bar"
    assert clean_description("CafÃ©\u00a0Bar") == "Café Bar"


def test_escaped_markup_is_stable_under_a_second_clean() -> None:
    # Tag-shaped prose keeps its word but not a "<" a renderer would parse as markup.
    once = clean_description("Know the &lt;canvas&gt; API")
    assert once == "Know the \u27e8canvas\u27e9 API"
    assert clean_description(once) == once
    # Escaped formatting tags (common in job feeds) are markup, removed on the first clean.
    assert clean_inline("&lt;b&gt;Senior&lt;/b&gt; Nurse") == "Senior Nurse"
    assert clean_description("&lt;ul&gt;&lt;li&gt;Code&lt;/li&gt;&lt;/ul&gt;") == "- Code"


def test_inline_has_no_unicode_line_separators() -> None:
    assert clean_inline("Senior\u2028Engineer\x85Lead") == "Senior Engineer Lead"


@pytest.mark.parametrize(
    "fine",
    [
        "Senior Backend Engineer",
        "Café Zürich \u2013 £30,000 ✓ 東京",
        "Intro\n\n- one\n- two\n\nOutro & more > less",
        "Straße; naïve façade",
    ],
)
def test_clean_text_is_unchanged(fine: str) -> None:
    assert clean_description(fine) == fine
    assert clean_inline(fine.replace("\n", " ").replace("  ", " ")) == " ".join(fine.split())
    assert repair_mojibake(fine) == fine


def test_inline_flattens_lines_and_tags() -> None:
    assert clean_inline("  Senior\n  Engineer<br>(Remote)\r\n\t ") == "Senior Engineer (Remote)"


# --- properties --------------------------------------------------------------------------------

# Double-escaped entities ("&amp;lt;") legitimately decode one level per clean, so '&' stays out of
# the alphabet; markup, mojibake lead characters and control characters are all in.
_SAFE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="&",
        whitelist_characters="\n\r\t",
    ),
    max_size=40,
)
_FRAGMENTS = st.sampled_from(
    (
        *("<p>", "</p>", "<br>", "<li>", "</li>", "<ul>", "<b>", "&amp; ", "&nbsp;", "&#39;"),
        *("\u2022 ", "- ", "* ", "1. ", "\n", "\n\n\n", "  ", "\t", "\u00a0", "é", "e\u0301"),
    )
)
_MESSY = st.lists(st.one_of(_SAFE_TEXT, _FRAGMENTS), max_size=12).map("".join)


@settings(max_examples=300)
@given(_MESSY)
def test_clean_description_is_idempotent(raw: str) -> None:
    once = clean_description(raw)
    assert clean_description(once) == once


@settings(max_examples=300)
@given(st.one_of(st.text(), _MESSY))
def test_clean_inline_is_one_tidy_line(raw: str) -> None:
    cleaned = clean_inline(raw)
    assert "\n" not in cleaned and "\r" not in cleaned
    assert cleaned == cleaned.strip(" ")
    assert "  " not in cleaned
