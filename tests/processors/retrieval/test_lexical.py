"""The full-text expression of a plain query: words ORed, function words dropped, syntax kept."""

from __future__ import annotations

from processors.retrieval.lexical import lexical_query


def test_plain_words_are_ored_without_function_words() -> None:
    assert lexical_query("latency reduction") == "latency or reduction"
    assert lexical_query("Made the API faster, the API!") == "made or api or faster"
    assert lexical_query("the of") == "the or of"  # nothing but function words: keep them


def test_a_query_using_the_syntax_is_sent_as_written() -> None:
    assert lexical_query('"pricing API" -kafka') == '"pricing API" -kafka'
    assert lexical_query("python or go") == "python or go"
