"""What every emitted value must respect: the ranges the projection's columns hold, text that
Postgres can store, finite numbers, and bounded sizes.

A value outside these bounds is a poison pill once it is on the log (the projector cannot
apply it, and a Java consumer cannot read an Avro int past 32 bits), so producers check here
first and reject the input with the field and the reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_ID_CHARS = 200
MAX_URL_CHARS = 2048
MAX_TEXT_CHARS = 100_000
MAX_LIST_ITEMS = 1_000
MAX_SKILLS = 500
MAX_DEPTH = 32
# runs.priority is a Postgres integer, and the commands and runs schemas say Avro int.
MIN_PRIORITY, MAX_PRIORITY = INT32_MIN, INT32_MAX

Problem = tuple[str, str]  # (field path, reason)


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return f"holds a NUL character (\\u0000) at position {value.index(chr(0))}; text cannot hold it"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds a lone surrogate \\u{ord(value[exc.start]):04x} at position {exc.start}; it is not valid Unicode"
    return None


def storable_text(value: str, limit: int = 2_000) -> str:
    """A message made safe to emit: NUL and lone surrogates written as escapes, cut to `limit`.

    For text the system writes itself (errors quoting bad input), never for input, which is
    rejected instead of altered."""
    cleaned = value.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")
    return cleaned[:limit]


def number_problem(value: float) -> str | None:
    if not math.isfinite(value):
        return f"is {value}; only finite numbers are accepted"
    return None


def int_problem(value: int, low: int = INT64_MIN, high: int = INT64_MAX) -> str | None:
    if not low <= value <= high:
        shown = str(value) if len(str(value)) <= 30 else f"a {len(str(value))}-digit number"
        return f"{shown} is outside {low:,}..{high:,}"
    return None


def id_problem(value: object) -> str | None:
    """An id is non-empty text of at most MAX_ID_CHARS, without surrounding spaces or NUL."""
    if not isinstance(value, str):
        return f"must be text, got {type(value).__name__}"
    if not value.strip():
        return "is empty"
    if value != value.strip():
        return "has leading or trailing spaces"
    if len(value) > MAX_ID_CHARS:
        return f"is {len(value):,} characters; the limit is {MAX_ID_CHARS}"
    return text_problem(value)


def priority_problem(value: int) -> str | None:
    return int_problem(value, MIN_PRIORITY, MAX_PRIORITY)


def value_problems(
    value: Any,
    path: str = "",
    *,
    max_text: int = MAX_TEXT_CHARS,
    max_items: int = MAX_LIST_ITEMS,
    limits: Mapping[str, int] | None = None,
) -> list[Problem]:
    """Every problem in a JSON-like value (dicts, lists, text, numbers), each with its path.

    `limits` bounds named fields more tightly: a text's length or a list's item count
    (e.g. {"url": 2048, "skills": 500}); the name is the last segment of the path.
    """
    return list(_walk(value, path, 0, max_text, max_items, dict(limits or {})))


def _walk(
    value: Any, path: str, depth: int, max_text: int, max_items: int, limits: dict[str, int]
) -> Iterator[Problem]:
    where = path or "(record)"
    name = path.rsplit(".", 1)[-1]
    if depth > MAX_DEPTH:
        yield where, f"is nested deeper than {MAX_DEPTH} levels"
        return
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", by_alias=True)
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str):
        bound = limits.get(name, max_text)
        if len(value) > bound:
            yield where, f"is {len(value):,} characters; the limit is {bound:,}"
        elif (problem := text_problem(value)) is not None:
            yield where, problem
        return
    if isinstance(value, int):
        if (problem := int_problem(value)) is not None:
            yield where, problem
        return
    if isinstance(value, float):
        if (problem := number_problem(value)) is not None:
            yield where, problem
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            key_text = str(key)
            if (problem := text_problem(key_text)) is not None:
                yield where, f"has a field name that {problem}"
                continue
            yield from _walk(
                item, f"{path}.{key_text}" if path else key_text, depth + 1, max_text, max_items, limits
            )
        return
    if isinstance(value, list | tuple):
        bound = limits.get(name, max_items)
        if len(value) > bound:
            yield where, f"has {len(value):,} items; the limit is {bound:,}"
            return
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}.{i}" if path else str(i), depth + 1, max_text, max_items, limits)


# Event fields that carry a JSON document as text: the projector stores them as jsonb, which
# holds neither \u0000 nor NaN, so their parsed content is checked too.
JSON_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "profiles": ("document",),
    "decisions": ("output",),
    "derivations": ("requirements", "skills", "red_flags"),
}


def event_problems(event: Any) -> list[Problem]:
    """Everything in `event` that its topic's Avro schema or the projection cannot hold."""
    import json

    from fastavro.validation import ValidationError, validate

    from schemas import catalog

    record = event.to_avro()
    problems = value_problems(record, max_text=10 * MAX_TEXT_CHARS, max_items=10 * MAX_LIST_ITEMS)
    try:
        validate(record, catalog.parsed(event.topic), raise_errors=True)
    except ValidationError as exc:
        problems.extend(("(avro)", str(e)) for e in exc.errors)
    for name in JSON_TEXT_FIELDS.get(event.topic, ()):
        text = record.get(name)
        if not text:
            continue
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            problems.append((name, f"is not JSON: {exc}"))
            continue
        problems.extend(
            value_problems(parsed, name, max_text=10 * MAX_TEXT_CHARS, max_items=10 * MAX_LIST_ITEMS)
        )
    return problems


def describe(problems: list[Problem]) -> str:
    return "; ".join(f"{path}: {reason}" for path, reason in problems[:10])
