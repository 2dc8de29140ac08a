"""Split an uploaded file (bytes) into records, each tagged with the line it started on.

Pure: the caller opens the file. Errors are values, so one bad line never stops the rest.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from schemas.models import PostingContent

CSV_COLUMNS: tuple[str, ...] = ("id", *PostingContent.model_fields)


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
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejected(
                number, [FieldError("", f"malformed JSON at column {exc.colno}: {exc.msg}")], raw=text[:200]
            )
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
            yield Rejected(start, [FieldError("", f"malformed CSV: {exc}")])
            # csv cannot resynchronise inside a broken quoted field: stop, reporting where.
            return
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
