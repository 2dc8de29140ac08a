"""Proof for a trace: re-read each event from the log at its recorded coordinates and check that
the bytes hash to what the audit log recorded and decode to the same event id."""

from __future__ import annotations

import hashlib
from typing import Any

from processors.ports import LogReader
from schemas.codec import EventCodec
from schemas.errors import BrokerUnavailable


def verify(trace: dict[str, Any], log: LogReader, codec: EventCodec) -> dict[str, Any]:
    """Re-read every event of the trace from the log; `verified` is true only if all match."""
    checks = []
    for event in [trace["event"], *trace["causes"], *trace.get("related", [])]:
        checks.append(_verify_one(event, log, codec))
    return {**trace, "verified": all(c["ok"] for c in checks), "verification": checks}


def _verify_one(event: dict[str, Any], log: LogReader, codec: EventCodec) -> dict[str, Any]:
    where = f"{event.get('topic')}[{event.get('partition')}]@{event.get('offset')}"
    if event.get("missing"):
        return {"event_id": event["event_id"], "at": None, "ok": False, "reason": "not in the audit log"}
    try:
        rec = log.read_at(event["topic"], event["partition"], event["offset"])
    except (LookupError, BrokerUnavailable) as exc:
        return {"event_id": event["event_id"], "at": where, "ok": False, "reason": f"cannot re-read: {exc}"}
    digest = hashlib.sha256(rec.value or b"").hexdigest()
    if digest != event["value_sha256"]:
        return {
            "event_id": event["event_id"],
            "at": where,
            "ok": False,
            "reason": "bytes in the log differ from the audit log's hash",
        }
    _, record = codec.decode_record(event["topic"], rec.value or b"")
    logged_id = str(record["meta"]["event_id"])
    if logged_id != event["event_id"]:
        return {
            "event_id": event["event_id"],
            "at": where,
            "ok": False,
            "reason": f"the log holds event {logged_id} there",
        }
    return {"event_id": event["event_id"], "at": where, "ok": True, "sha256": digest}
