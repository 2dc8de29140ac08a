"""Split an uploaded file (bytes) into records, each tagged with the line it started on.

Pure: the caller opens the file. Errors are values, so one bad line never stops the rest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from schemas.limits import MAX_DEPTH, text_problem
from schemas.models import PostingContent

CSV_COLUMNS: tuple[str, ...] = ("id", *PostingContent.model_fields)
MAX_INT_DIGITS = 19  # a signed 64-bit integer


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


@dataclass(frozen=True)
class RawRecord:
    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Rejected:
    line: int
    errors: list[FieldError]
    raw: str = ""
    record_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        who = f" (id {self.record_id})" if self.record_id else ""
        return f"line {self.line}{who}: " + "; ".join(str(e) for e in self.errors)


def detect_format(name: str, head: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    return "jsonl" if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[") else "csv"


def _utf8_error(exc: UnicodeDecodeError) -> FieldError:
    return FieldError(
        "", f"not valid UTF-8 at byte {exc.start} (0x{exc.object[exc.start]:02x}); re-save the file as UTF-8"
    )


class JsonInputError(ValueError):
    """JSON that parses (or would) but that no record may hold: said with the field and why."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field, self.reason = field, reason


def _bounded_int(digits: str) -> int:
    # Python refuses to convert over 4300 digits with a message about its own settings; no field
    # needs more than 64 bits, so say that instead (and spend nothing converting a huge one).
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonInputError("", f"holds an integer of {len(digits):,} digits; numbers must fit in 64 bits")
    return int(digits)


def parse_json(text: str) -> Any:
    """`json.loads` for untrusted input: bounded nesting and integers, valid Unicode only.

    Raises json.JSONDecodeError for malformed text and JsonInputError for the rest, so a caller
    can reject the one record and go on.
    """
    try:
        obj = json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise JsonInputError("", f"is nested too deeply; the limit is {MAX_DEPTH} levels") from None
    problem = _shape_problem(obj)
    if problem is not None:
        raise JsonInputError(*problem)
    return obj


def _shape_problem(obj: Any) -> tuple[str, str] | None:
    """The first value nested too deeply or holding a lone surrogate (iterative: no recursion)."""
    stack: list[tuple[Any, str, int]] = [(obj, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "", f"is nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, str):
            problem = text_problem(value.replace("\x00", ""))  # NUL is the validators' to report, per field
            if problem is not None:
                return path, problem
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = text_problem(key.replace("\x00", ""))
                if problem is not None:
                    return path, f"has a field name that {problem}"
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{i}" if path else str(i), depth + 1) for i, item in enumerate(value))
    return None


def read_jsonl(data: bytes) -> Iterator[RawRecord | Rejected]:
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        line = raw_line.rstrip(b"\r")
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(number, [_utf8_error(exc)], raw=line[:200].decode("utf-8", "replace"))
            continue
        try:
            obj = parse_json(text)
        except json.JSONDecodeError as exc:
            yield Rejected(
                number, [FieldError("", f"malformed JSON at column {exc.colno}: {exc.msg}")], raw=text[:200]
            )
            continue
        except JsonInputError as exc:
            yield Rejected(number, [FieldError(exc.field, exc.reason)], raw=text[:200])
            continue
        if not isinstance(obj, dict):
            kind = type(obj).__name__
            yield Rejected(number, [FieldError("", f"expected a JSON object, got {kind}")], raw=text[:200])
            continue
        yield RawRecord(number, obj)


def read_csv(data: bytes) -> Iterator[RawRecord | Rejected]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # surrogateescape keeps undecodable bytes so we can name the field they are in.
    text = data.decode("utf-8", errors="surrogateescape")
    # The csv module's own cap (128 KiB a field) would end the file at one long cell; the whole
    # file is in memory already, and the validators bound each field with a message naming it.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Rejected(1, [FieldError("", f"malformed CSV header: {exc}")])
        return
    header = [h.strip().lower() for h in header]
    missing = [c for c in ("id", "source", "title", "company", "description") if c not in header]
    if missing:
        yield Rejected(
            1,
            [
                FieldError(
                    "",
                    f"CSV header lacks required columns: {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}",
                )
            ],
        )
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader drops the rest of the broken record and goes on with the next line.
            yield Rejected(start, [FieldError("", f"malformed CSV: {exc}")])
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejected(
                start,
                [FieldError("", f"has {len(row)} columns, the header has {len(header)}")],
                raw=",".join(row)[:200],
            )
            continue
        record: dict[str, Any] = {}
        errors: list[FieldError] = []
        for name, cell in zip(header, row, strict=True):
            try:
                cell.encode("utf-8")
            except UnicodeEncodeError as exc:
                errors.append(
                    FieldError(name, f"not valid UTF-8 at character {exc.start}; re-save the file as UTF-8")
                )
                continue
            record[name] = cell if cell != "" else None
        if errors:
            yield Rejected(start, errors, record_id=record.get("id"))
            continue
        yield RawRecord(start, record)


def read_records(name: str, data: bytes) -> Iterator[RawRecord | Rejected]:
    fmt = detect_format(name, data[:64])
    return read_jsonl(data) if fmt == "jsonl" else read_csv(data)


@dataclass(frozen=True)
class ArrayItem:
    line: int  # the line the element starts on
    text: str


@dataclass(frozen=True)
class ArrayError:
    reason: str


# The characters that change the structure; everything between them is skipped in one step.
_STRUCTURE = re.compile(r'[\\"\[\]{},]')


def split_array(text: str) -> Iterator[ArrayItem | ArrayError]:
    """Split a top-level JSON array into its elements' texts without parsing them (linear).

    Strings and nesting are tracked, so each element can be parsed, and rejected, on its own.
    Ends with an ArrayError when the array's own structure is broken past some element.
    """
    start = text.index("[") + 1
    depth, in_string, skip_to, item_start = 0, False, -1, start
    line, counted_to = 1, 0
    for match in _STRUCTURE.finditer(text, start):
        pos = match.start()
        if pos < skip_to:
            continue
        char = match.group()
        if in_string:
            if char == "\\":
                skip_to = pos + 2
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif depth > 0 and char in "]}":
            depth -= 1
        elif depth == 0 and char in ",]":
            chunk = text[item_start:pos]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                line += text.count("\n", counted_to, item_start + lead)
                counted_to = item_start + lead
                yield ArrayItem(line, chunk.strip())
            elif char == ",":
                yield ArrayError(f"an empty element at line {line + text.count(chr(10), counted_to, pos)}")
                return
            if char == "]":
                if text[pos + 1 :].strip():
                    yield ArrayError("text after the closing ] of the array")
                return
            item_start = pos + 1
        elif depth == 0 and char == "}":
            yield ArrayError("a } with no { before it")
            return
    yield ArrayError("the array is not closed: the file ends inside it")
