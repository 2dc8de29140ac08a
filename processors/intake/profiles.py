"""Profile intake: JSON or JSONL records in, `profile.created` / `profile.changed` events out.

Validation is passed in (the scoring model is the contract for a profile's fields), so this
module only reads, hashes and decides. A bad record is reported with its record number,
field and reason; the rest go on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from processors.intake.changes import Checked, IngestPlan, canonical_hash, plan_records
from processors.intake.records import (
    ArrayError,
    FieldError,
    JsonInputError,
    RawRecord,
    Rejected,
    parse_json,
    read_jsonl,
    split_array,
)
from schemas.limits import MAX_ID_CHARS, MAX_SKILLS, MAX_URL_CHARS, id_problem, text_problem, value_problems
from schemas.models import Producer, ProfileEvent, deterministic_id, event_meta

CREATED = "profile.created"
CHANGED = "profile.changed"

# data -> (profile id, canonical document, errors)
Validator = Callable[[dict[str, Any]], tuple[str | None, dict[str, Any] | None, list[FieldError]]]


@dataclass(frozen=True)
class KnownProfile:
    version: int
    content_hash: str
    last_event_id: str


def read_profile_records(name: str, data: bytes) -> Iterator[RawRecord | Rejected]:
    """A JSON array, a single JSON object, or JSONL. Records are numbered from 1."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    text_head = body.lstrip()[:1]
    if text_head not in (b"[", b"{") or (text_head == b"{" and not name.lower().endswith(".json")):
        yield from read_jsonl(data)
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Rejected(1, [FieldError("", f"not valid UTF-8 at byte {exc.start}; re-save the file as UTF-8")])
        return
    if text_head == b"{":
        try:
            whole = parse_json(text)
        except json.JSONDecodeError:
            yield from read_jsonl(data)  # a JSONL file named .json
            return
        except JsonInputError as exc:
            yield Rejected(1, [FieldError(exc.field, exc.reason)])
            return
        yield _object(1, whole)
        return
    yield from _read_array(text)


def _read_array(text: str) -> Iterator[RawRecord | Rejected]:
    """Each element of a top-level array parsed on its own: one bad element is one rejected record."""
    number = 0
    for item in split_array(text):
        if isinstance(item, ArrayError):
            yield Rejected(number + 1, [FieldError("", item.reason)])
            return
        number += 1
        try:
            obj = parse_json(item.text)
        except json.JSONDecodeError as exc:
            yield Rejected(
                number, [FieldError("", f"malformed JSON at line {item.line + exc.lineno - 1}: {exc.msg}")]
            )
            continue
        except JsonInputError as exc:
            yield Rejected(number, [FieldError(exc.field, exc.reason)])
            continue
        yield _object(number, obj)


def _object(number: int, obj: Any) -> RawRecord | Rejected:
    if isinstance(obj, dict):
        return RawRecord(number, obj)
    return Rejected(number, [FieldError("", f"expected a JSON object, got {type(obj).__name__}")])


def check_profile(profile_id: str, document: dict[str, Any]) -> list[FieldError]:
    """What the log and the projection could not hold, beyond what the profile model checks."""
    problems: list[FieldError] = []
    if (problem := id_problem(profile_id)) is not None:
        problems.append(FieldError("id", problem))
    limits = {"skills": MAX_SKILLS, "url": MAX_URL_CHARS, "id": MAX_ID_CHARS}
    for path, reason in value_problems(document, limits=limits):
        if FieldError(path, reason) not in problems:
            problems.append(FieldError(path, reason))
    return problems


def plan_profiles(
    records: Iterable[RawRecord | Rejected],
    known: Mapping[str, KnownProfile],
    validate: Validator,
    producer: Producer,
    now: datetime,
    seal: Callable[[str, str], str] | None = None,
) -> IngestPlan[ProfileEvent]:
    """`seal(profile_id, document_json)` encrypts the personal document with the profile's own key
    (crypto-shredding: processors/sensitive/shredding.py); the hash is of the plain document."""

    def check(data: dict[str, Any]) -> Checked[dict[str, Any]]:
        profile_id, document, errors = validate(data)
        if document is not None and profile_id is not None:
            errors = check_profile(profile_id, document)
        if document is None or profile_id is None or errors:
            return _shown(profile_id), None, errors
        return profile_id, document, []

    def event(profile_id: str, document: dict[str, Any], digest: str, _line: int) -> ProfileEvent | None:
        before = known.get(profile_id)
        if before is not None and before.content_hash == digest:
            return None
        version = 1 if before is None else before.version + 1
        text = json.dumps(document, sort_keys=True, ensure_ascii=False)
        return ProfileEvent(
            meta=event_meta(
                CREATED if before is None else CHANGED,
                producer,
                event_id=deterministic_id("profile", profile_id, version, digest),
                occurred_at=now,
                causation_id=before.last_event_id if before else None,
                correlation_id=profile_id,
            ),
            profile_id=profile_id,
            version=version,
            content_hash=digest,
            document=text if seal is None else seal(profile_id, text),
        )

    return plan_records(records, check, canonical_hash, event, CREATED, unit="record")


def _shown(profile_id: str | None) -> str | None:
    # The id goes into a message: a bad one is shown by its repr, cut short.
    if profile_id is None or (text_problem(profile_id) is None and len(profile_id) <= MAX_ID_CHARS):
        return profile_id or None
    return ascii(profile_id[:40])
