"""Splitting uploaded bytes into records: JSONL and CSV, each record tagged with its line."""

from __future__ import annotations

import json

import pytest

from processors.intake.records import (
    CSV_COLUMNS,
    RawRecord,
    Rejected,
    detect_format,
    read_csv,
    read_jsonl,
    read_records,
)

HEADER = ",".join(CSV_COLUMNS)


def _jsonl(*objs: object) -> bytes:
    return b"\n".join(json.dumps(o).encode() for o in objs)


def _split(results: list[RawRecord | Rejected]) -> tuple[list[RawRecord], list[Rejected]]:
    good = [r for r in results if isinstance(r, RawRecord)]
    bad = [r for r in results if isinstance(r, Rejected)]
    return good, bad


def _row(rid: str, description: str = "D", n: int = len(CSV_COLUMNS)) -> str:
    cells = [rid, "src", "Title", "Co", "Here", description] + [""] * (len(CSV_COLUMNS) - 6)
    return ",".join(cells[:n])


# --- JSONL -------------------------------------------------------------------------------------


def test_jsonl_blank_lines_are_skipped_and_line_numbers_are_physical() -> None:
    data = b'\n{"id": "a"}\n\n   \n{"id": "b"}\r\n\n'
    good, bad = _split(list(read_jsonl(data)))
    assert bad == []
    assert [(r.line, r.data["id"]) for r in good] == [(2, "a"), (5, "b")]


def test_jsonl_bom_on_first_line_is_removed() -> None:
    good, bad = _split(list(read_jsonl(b'\xef\xbb\xbf{"id": "a"}\n{"id": "b"}')))
    assert bad == []
    assert [r.data for r in good] == [{"id": "a"}, {"id": "b"}]


def test_jsonl_bom_followed_by_blank_line_is_not_an_error() -> None:
    good, bad = _split(list(read_jsonl(b'\xef\xbb\xbf\n{"id": "a"}\n')))
    assert bad == []
    assert [r.line for r in good] == [2]


def test_jsonl_malformed_line_is_reported_and_others_still_returned() -> None:
    data = b'{"id": "a"}\n{"id": "b", oops}\n{"id": "c"}\n'
    good, bad = _split(list(read_jsonl(data)))
    assert [r.data["id"] for r in good] == ["a", "c"]
    assert [r.line for r in good] == [1, 3]
    assert len(bad) == 1
    assert bad[0].line == 2
    assert "malformed JSON" in bad[0].message()
    assert bad[0].message().startswith("line 2: ")
    assert "oops" in bad[0].raw


@pytest.mark.parametrize(("line", "kind"), [(b"[1, 2]", "list"), (b'"text"', "str"), (b"42", "int")])
def test_jsonl_non_object_line_is_rejected(line: bytes, kind: str) -> None:
    good, bad = _split(list(read_jsonl(b'{"id": "a"}\n' + line)))
    assert [r.line for r in good] == [1]
    assert len(bad) == 1 and bad[0].line == 2
    assert f"expected a JSON object, got {kind}" in bad[0].message()


def test_jsonl_invalid_utf8_is_reported_with_line_and_others_still_parsed() -> None:
    data = b'{"id": "a"}\n{"id": "b", "title": "Caf\xe9"}\n{"id": "c", "title": "Caf\xc3\xa9"}\n'
    good, bad = _split(list(read_jsonl(data)))
    assert [r.data["id"] for r in good] == ["a", "c"]
    assert good[1].data["title"] == "Café"
    assert len(bad) == 1 and bad[0].line == 2
    message = bad[0].message()
    assert "not valid UTF-8" in message and "0xe9" in message
    assert "\ufffd" in bad[0].raw  # the raw excerpt survives, with the bad byte replaced


def test_jsonl_empty_input_yields_nothing() -> None:
    assert list(read_jsonl(b"")) == []
    assert list(read_jsonl(b"\n\n  \n")) == []


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_header_with_twelve_columns_maps_cells_and_empty_cells_to_none() -> None:
    assert len(CSV_COLUMNS) == 12
    data = f"{HEADER}\n{_row('A1')}\n".encode()
    good, bad = _split(list(read_csv(data)))
    assert bad == []
    assert len(good) == 1 and good[0].line == 2
    record = good[0].data
    assert set(record) == set(CSV_COLUMNS)
    assert record["id"] == "A1" and record["description"] == "D"
    assert record["salary_min"] is None and record["url"] is None


def test_csv_header_is_case_and_space_insensitive_and_bom_removed() -> None:
    header = ",".join(f" {c.upper()} " for c in CSV_COLUMNS)
    data = b"\xef\xbb\xbf" + f"{header}\r\n{_row('A1')}\r\n".encode()
    good, bad = _split(list(read_csv(data)))
    assert bad == []
    assert good[0].data["id"] == "A1"


def test_csv_quoted_multiline_description_keeps_starting_line() -> None:
    rows = [HEADER, _row("A1"), _row("A2", '"first\nsecond\n\nfourth"'), _row("A3")]
    good, bad = _split(list(read_csv("\n".join(rows).encode())))
    assert bad == []
    assert [(r.line, r.data["id"]) for r in good] == [(2, "A1"), (3, "A2"), (7, "A3")]
    assert good[1].data["description"] == "first\nsecond\n\nfourth"


def test_csv_row_with_wrong_number_of_columns_is_rejected_and_others_kept() -> None:
    rows = [HEADER, _row("A1"), _row("A2", n=5), _row("A3") + ",extra", _row("A4")]
    good, bad = _split(list(read_csv("\n".join(rows).encode())))
    assert [r.data["id"] for r in good] == ["A1", "A4"]
    assert [(r.line, str(r.errors[0])) for r in bad] == [
        (3, "has 5 columns, the header has 12"),
        (4, "has 13 columns, the header has 12"),
    ]


def test_csv_blank_lines_are_skipped() -> None:
    data = f"{HEADER}\n\n{_row('A1')}\n,,,,,,,,,,,\n{_row('A2')}\n".encode()
    good, bad = _split(list(read_csv(data)))
    assert bad == []
    assert [(r.line, r.data["id"]) for r in good] == [(3, "A1"), (5, "A2")]


def test_csv_invalid_utf8_inside_a_field_names_that_field() -> None:
    bad_row = _row("A2").replace("Title", "T\xff").encode("latin-1")
    data = f"{HEADER}\n{_row('A1')}\n".encode() + bad_row + f"\n{_row('A3')}\n".encode()
    good, bad = _split(list(read_csv(data)))
    assert [r.data["id"] for r in good] == ["A1", "A3"]
    assert len(bad) == 1
    rejected = bad[0]
    assert rejected.line == 3 and rejected.record_id == "A2"
    assert [e.field for e in rejected.errors] == ["title"]
    assert "not valid UTF-8" in rejected.message()
    assert rejected.message().startswith("line 3 (id A2): title: ")


def test_csv_header_missing_required_columns_is_one_rejection_at_line_1() -> None:
    data = b"id,source,location\nA1,x,y\n"
    results = list(read_csv(data))
    assert len(results) == 1
    rejected = results[0]
    assert isinstance(rejected, Rejected) and rejected.line == 1
    message = rejected.message()
    assert "lacks required columns: title, company, description" in message
    assert HEADER.replace(",", ", ") in message  # names the expected header


def test_csv_unterminated_quote_reports_the_starting_line_and_stops() -> None:
    data = f"{HEADER}\n{_row('A1')}\n{_row('A2', chr(34) + 'never closed')}\n{_row('A3')}\n"
    good, bad = _split(list(read_csv(data.encode())))
    assert [r.data["id"] for r in good] == ["A1"]
    assert len(bad) == 1 and bad[0].line == 3
    assert "malformed CSV" in bad[0].message()


def test_csv_empty_input_yields_nothing() -> None:
    assert list(read_csv(b"")) == []
    assert list(read_csv(f"{HEADER}\n".encode())) == []


# --- format detection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("postings.jsonl", b"id,title", "jsonl"),
        ("POSTINGS.NDJSON", b"", "jsonl"),
        ("x.json", b"", "jsonl"),
        ("Postings.CSV", b'{"id": 1}', "csv"),
        ("upload", b'  \n{"id": 1}', "jsonl"),
        ("upload", b"[1]", "jsonl"),
        ("upload.txt", b"id,title,company", "csv"),
        ("upload", b"", "csv"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str) -> None:
    assert detect_format(name, head) == expected


def test_detect_format_sees_json_after_a_bom() -> None:
    assert detect_format("upload", b'\xef\xbb\xbf{"id": 1}') == "jsonl"


def test_read_records_dispatches_on_format() -> None:
    jsonl = list(read_records("a.jsonl", _jsonl({"id": "j1"}, {"id": "j2"})))
    assert [r.data["id"] for r in jsonl if isinstance(r, RawRecord)] == ["j1", "j2"]
    csv_data = f"{HEADER}\n{_row('c1')}\n".encode()
    csv_records = list(read_records("a.csv", csv_data))
    assert [r.data["id"] for r in csv_records if isinstance(r, RawRecord)] == ["c1"]
