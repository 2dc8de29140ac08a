"""Content hashing and change detection: which event, if any, a posting record produces."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from processors.intake.records import FieldError, RawRecord, Rejected
from processors.intake.text import NORMALISER_VERSION
from processors.intake.validate import validate
from schemas.models import Event, PostingContent, PostingEvent, Producer, deterministic_id, event_meta

OBSERVED = "posting.observed"
CHANGED = "posting.changed"
SEEN_AGAIN = "posting.seen_again"
WITHDRAWN = "posting.withdrawn"


@dataclass(frozen=True)
class Known:
    """What the log says about a posting so far (read from the projection)."""

    version: int
    content_hash: str
    status: str
    last_event_id: str
    content: dict[str, Any]


def content_dict(content: PostingContent) -> dict[str, Any]:
    return content.model_dump(mode="json")


def canonical_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON: key order and spacing never change the hash."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(content: PostingContent) -> str:
    return canonical_hash(content_dict(content))


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in new if old.get(k) != new.get(k))


def decide(
    posting_id: str,
    content: PostingContent,
    known: Known | None,
    producer: Producer,
    now: datetime,
    source_file: str | None = None,
    line: int | None = None,
) -> PostingEvent | None:
    """observed for a new posting, changed for new content, seen_again when a withdrawn one returns.

    The hash covers the normalised content only, not the normaliser's version: after an upgrade
    a posting whose text now cleans differently gets a `changed` event (naming the new
    normaliser), and one whose text cleans the same emits nothing."""
    digest = content_hash(content)
    if known is not None and known.content_hash == digest and known.status == "open":
        return None
    if known is None:
        event_type, version, previous, fields = OBSERVED, 1, None, sorted(content_dict(content))
    else:
        new_content = known.content_hash != digest
        event_type = SEEN_AGAIN if known.status == "withdrawn" else CHANGED
        version = known.version + 1 if new_content else known.version
        previous = known.content_hash
        fields = changed_fields(known.content, content_dict(content))
    # Same posting, version, content and kind of event => same id, so a repeated ingest is a no-op.
    event_id = deterministic_id(
        "posting", posting_id, event_type, version, digest, known and known.last_event_id
    )
    return PostingEvent(
        meta=event_meta(
            event_type,
            producer,
            event_id=event_id,
            occurred_at=now,
            causation_id=known.last_event_id if known else None,
            correlation_id=posting_id,
        ),
        posting_id=posting_id,
        version=version,
        content_hash=digest,
        previous_hash=previous,
        content=content,
        changed_fields=fields,
        source_file=source_file,
        source_line=line,
        normaliser=NORMALISER_VERSION,
    )


def withdraw(
    posting_id: str, known: Known | None, reason: str, producer: Producer, now: datetime
) -> PostingEvent:
    if known is None:
        raise LookupError(f"posting {posting_id!r} was never observed")
    if known.status == "withdrawn":
        raise ValueError(f"posting {posting_id!r} is already withdrawn")
    return PostingEvent(
        meta=event_meta(
            WITHDRAWN,
            producer,
            event_id=deterministic_id("posting", posting_id, WITHDRAWN, known.last_event_id),
            occurred_at=now,
            causation_id=known.last_event_id,
            correlation_id=posting_id,
        ),
        posting_id=posting_id,
        version=known.version,
        content_hash=known.content_hash,
        previous_hash=known.content_hash,
        content=None,
        reason=reason,
    )


E = TypeVar("E", bound=Event)
V = TypeVar("V")


@dataclass
class IngestPlan(Generic[E]):
    """What an ingest decided: the events to emit, the records refused, and the counts."""

    events: list[E] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # record id -> (line or record number, content hash) of its first appearance in this file
    first_seen: dict[str, tuple[int, str]] = field(default_factory=dict, repr=False)

    def summary(self) -> dict[str, int]:
        return {
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }

    def repeated(self, record_id: str, line: int, digest: str, unit: str = "line") -> bool:
        """True when `record_id` already appeared in this file (then it is counted here).

        The same content again is unchanged; other content is refused, because two versions in
        one file have no order we can trust: the first is kept."""
        if record_id not in self.first_seen:
            self.first_seen[record_id] = (line, digest)
            return False
        line0, digest0 = self.first_seen[record_id]
        if digest0 == digest:
            self.unchanged += 1
        else:
            reason = f"duplicate of {unit} {line0} with different content; kept {unit} {line0}"
            self.rejected.append(Rejected(line, [FieldError("id", reason)], record_id=record_id))
        return True


Checked = tuple[str | None, V | None, list[FieldError]]
"""A record's id, its valid value (None when refused) and what is wrong with it."""


def plan_records(
    records: Iterable[RawRecord | Rejected],
    check: Callable[[dict[str, Any]], Checked[V]],
    digest: Callable[[V], str],
    decide: Callable[[str, V, str, int], E | None],
    new_type: str,
    unit: str = "line",
) -> IngestPlan[E]:
    """The one intake loop, for postings and profiles: check every record, refuse the bad and the
    conflicting repeats, and `decide(id, value, digest, line)` its event (None: unchanged).
    An event of `new_type` counts as new, any other as changed."""
    result: IngestPlan[E] = IngestPlan()
    for rec in records:
        if isinstance(rec, Rejected):
            result.rejected.append(rec)
            continue
        record_id, value, errors = check(rec.data)
        if value is None or record_id is None:
            result.rejected.append(Rejected(rec.line, errors, record_id=record_id))
            continue
        hashed = digest(value)
        if result.repeated(record_id, rec.line, hashed, unit):
            continue
        event = decide(record_id, value, hashed, rec.line)
        if event is None:
            result.unchanged += 1
            continue
        result.events.append(event)
        if event.meta.event_type == new_type:
            result.new += 1
        else:
            result.changed += 1
    return result


def plan(
    records: Iterable[RawRecord | Rejected],
    known: Mapping[str, Known],
    producer: Producer,
    now: datetime,
    source_file: str | None = None,
) -> IngestPlan[PostingEvent]:
    """Validate every record and decide its event. A bad record is reported and skipped."""

    def event(posting_id: str, content: PostingContent, _digest: str, line: int) -> PostingEvent | None:
        return decide(posting_id, content, known.get(posting_id), producer, now, source_file, line)

    return plan_records(records, validate, content_hash, event, OBSERVED)
