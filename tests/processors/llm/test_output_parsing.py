"""Text -> validated output, shared by every model engine."""

from __future__ import annotations

import pytest

from processors.llm.output_parsing import parse_output, strip_fences
from tests.processors.llm.sample_tasks import lookup


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```\n{"a": 1}\n```\n', '{"a": 1}'),
        ('  {"a": 1}  ', '{"a": 1}'),
        ('```json {"a": 1}```', '{"a": 1}'),
    ],
)
def test_strip_fences(text: str, body: str) -> None:
    assert strip_fences(text) == body


def test_valid_output_is_dumped_from_the_model() -> None:
    parsed = parse_output('{"label": "ab", "count": 2, "flag": true}', "llm-test-echo", lookup)
    assert parsed.ok and parsed.output == {"label": "ab", "count": 2, "flag": True}


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("", "malformed JSON"),
        ('{"label": "ab", ', "malformed JSON"),
        ('{"label": "AB", "count": 2, "flag": true}', "schema-invalid: label"),
        ('{"label": "ab", "count": 2, "flag": true, "extra": 1}', "schema-invalid: extra"),
        ("[1, 2]", "schema-invalid"),
    ],
)
def test_bad_output_is_an_error_not_an_exception(text: str, prefix: str) -> None:
    parsed = parse_output(text, "llm-test-echo", lookup)
    assert not parsed.ok and parsed.output is None
    assert parsed.error is not None and parsed.error.startswith(prefix)


def test_unknown_task() -> None:
    assert (parse_output("{}", "llm-test-missing", lookup).error or "").startswith("unknown task")
