"""One bad line rejects only itself, with its number, field and reason; the good lines go on.

Covers the inputs that used to abort a whole file or reach the log as poison: a 5,000-digit
integer, a lone surrogate, nesting 5,000 deep, NUL in text, NaN and Infinity, an empty id,
100,000 skills and a 2 MB url."""

from __future__ import annotations

import json

import pytest

from infra.usecases.ingest_profiles import validate_profile
from processors.intake.changes import plan
from processors.intake.profiles import plan_profiles, read_profile_records
from processors.intake.records import read_records
from schemas.models import Producer, now_utc

ME = Producer(component="tests", version="1")
POSTING = {"source": "tests", "title": "Engineer", "company": "Acme", "description": "Build things."}
DEEP = "[" * 5000 + "]" * 5000


def _posting_line(posting_id: str, **extra: object) -> str:
    return json.dumps({"id": posting_id, **POSTING, **extra})


def _messages(result) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {r.line: r.message() for r in result.rejected}


def test_a_posting_file_keeps_its_good_lines_around_every_kind_of_bad_one() -> None:
    lines = [
        _posting_line("good-1"),
        '{"id": ' + "7" * 5000 + ', "title": "x"}',
        _posting_line("surrogate").replace('"Acme"', '"Ac\\ud800me"'),
        DEEP,
        _posting_line("nul-url", url="https://example.com/a\x00b"),
        _posting_line("long-url", url="https://example.com/" + "a" * 2_000_000),
        _posting_line("good-2"),
    ]
    result = plan(read_records("p.jsonl", "\n".join(lines).encode()), {}, ME, now_utc())
    assert sorted(e.posting_id for e in result.events) == ["good-1", "good-2"]
    messages = _messages(result)
    assert sorted(messages) == [2, 3, 4, 5, 6]
    assert "5,000 digits" in messages[2]
    assert "company" in messages[3] and "lone surrogate" in messages[3]
    assert "nested too deeply" in messages[4]
    assert "url" in messages[5] and "NUL" in messages[5]
    assert "url" in messages[6] and "2,048" in messages[6]


@pytest.mark.parametrize("layout", ["jsonl", "array"])
def test_a_profile_file_keeps_its_good_records_around_every_kind_of_bad_one(layout: str) -> None:
    records = [
        json.dumps({"id": "good-1", "current_role": "Engineer"}),
        '{"id": ' + "7" * 5000 + "}",
        '{"id": "s", "current_role": "\\ud800"}',
        DEEP,
        json.dumps({"id": "nul\x00id"}),
        json.dumps({"id": "role", "current_role": "Eng\x00ineer"}),
        '{"id": "nan", "atoms": [{"text": "grew sales", "value": NaN}]}',
        '{"id": "inf", "compensation": {"target": Infinity}}',
        json.dumps({"id": ""}),
        json.dumps({"id": "many", "skills": [{"name": f"skill {i}"} for i in range(100_000)]}),
        json.dumps({"id": "good-2"}),
    ]
    if layout == "jsonl":
        name, data = "profiles.jsonl", "\n".join(records)
    else:
        name, data = "profiles.json", "[\n" + ",\n".join(records) + "\n]"
    result = plan_profiles(read_profile_records(name, data.encode()), {}, validate_profile, ME, now_utc())
    assert sorted(e.profile_id for e in result.events) == ["good-1", "good-2"]
    messages = _messages(result)
    assert sorted(messages) == list(range(2, 11))
    expected = {
        2: "5,000 digits",
        3: "current_role: holds a lone surrogate",
        4: "nested too deeply",
        5: "id: holds a NUL",
        6: "current_role: holds a NUL",
        7: "atoms.0.value: is nan",
        8: "compensation.target: is inf",
        9: "id: is empty",
        10: "skills: has 100,000 items; the limit is 500",
    }
    for number, text in expected.items():
        assert text in messages[number], (number, messages[number])


def test_a_broken_array_reports_where_it_broke_and_keeps_what_came_before() -> None:
    data = b'[{"id": "a"}, {"id": "b"}, , {"id": "c"}]'
    result = plan_profiles(read_profile_records("p.json", data), {}, validate_profile, ME, now_utc())
    assert [e.profile_id for e in result.events] == ["a", "b"]
    assert [r.line for r in result.rejected] == [3] and "empty element" in result.rejected[0].message()
    unclosed = plan_profiles(
        read_profile_records("p.json", b'[{"id": "a"}, {"id": "b'), {}, validate_profile, ME, now_utc()
    )
    assert [e.profile_id for e in unclosed.events] == ["a"]
    assert "not closed" in unclosed.rejected[0].message()


def test_strings_with_brackets_commas_and_escapes_do_not_split_an_element() -> None:
    tricky = {"id": "t", "current_role": 'a, [b] {c} \\" ]", still one'}
    data = json.dumps([tricky, {"id": "u"}]).encode()
    result = plan_profiles(read_profile_records("p.json", data), {}, validate_profile, ME, now_utc())
    assert result.rejected == []
    assert [e.profile_id for e in result.events] == ["t", "u"]
    assert json.loads(result.events[0].document)["current_role"] == tricky["current_role"]


def test_a_csv_file_goes_on_past_a_huge_cell_and_a_broken_quote() -> None:
    header = "id,source,title,company,description,url"
    rows = [
        header,
        "a,s,Engineer,Acme,Build things.,https://example.com/a",
        "b,s,Engineer,Acme,Build things.,https://example.com/" + "z" * 2_000_000,
        'c,s,"Engi"neer,Acme,Build things.,',
        "d,s,Engineer,Acme,Build things.,",
    ]
    result = plan(read_records("p.csv", "\n".join(rows).encode()), {}, ME, now_utc())
    assert [e.posting_id for e in result.events] == ["a", "d"]
    messages = _messages(result)
    assert "url" in messages[3] and "2,048" in messages[3]
    assert "malformed CSV" in messages[4]
