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

from processors.intake.changes import IngestPlan, canonical_hash
from processors.intake.records import FieldError, RawRecord, Rejected, read_jsonl
from schemas.models import Meta, Producer, ProfileEvent, deterministic_id

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
    text_head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if text_head == b"[" or (name.lower().endswith(".json") and text_head == b"{"):
        try:
            whole = json.loads(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Rejected(
                1, [FieldError("", f"not valid UTF-8 at byte {exc.start}; re-save the file as UTF-8")]
            )
            return
        except json.JSONDecodeError as exc:
            if text_head == b"{":
                yield from read_jsonl(data)  # a JSONL file named .json
                return
            yield Rejected(
                exc.lineno, [FieldError("", f"malformed JSON at line {exc.lineno}, column {exc.colno}")]
            )
            return
        items = whole if isinstance(whole, list) else [whole]
        for number, obj in enumerate(items, start=1):
            if isinstance(obj, dict):
                yield RawRecord(number, obj)
            else:
                yield Rejected(number, [FieldError("", f"expected a JSON object, got {type(obj).__name__}")])
        return
    yield from read_jsonl(data)


def plan_profiles(
    records: Iterable[RawRecord | Rejected],
    known: Mapping[str, KnownProfile],
    validate: Validator,
    producer: Producer,
    now: datetime,
) -> IngestPlan[ProfileEvent]:
    result: IngestPlan[ProfileEvent] = IngestPlan()
    for rec in records:
        if isinstance(rec, Rejected):
            result.rejected.append(rec)
            continue
        profile_id, document, errors = validate(rec.data)
        if document is None or profile_id is None:
            result.rejected.append(Rejected(rec.line, errors, record_id=profile_id))
            continue
        digest = canonical_hash(document)
        if result.repeated(profile_id, rec.line, digest, unit="record"):
            continue
        before = known.get(profile_id)
        if before is not None and before.content_hash == digest:
            result.unchanged += 1
            continue
        version = 1 if before is None else before.version + 1
        event_type = CREATED if before is None else CHANGED
        result.events.append(
            ProfileEvent(
                meta=Meta(
                    event_id=deterministic_id("profile", profile_id, version, digest),
                    event_type=event_type,
                    occurred_at=now,
                    producer=producer,
                    causation_id=before.last_event_id if before else None,
                    correlation_id=profile_id,
                ),
                profile_id=profile_id,
                version=version,
                content_hash=digest,
                document=json.dumps(document, sort_keys=True, ensure_ascii=False),
            )
        )
        if before is None:
            result.new += 1
        else:
            result.changed += 1
    return result
