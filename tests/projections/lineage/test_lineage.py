"""Trace a field to its events; verification re-reads the log and catches tampering."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from projections import lineage
from tests.conftest import SAMPLES

pytestmark = pytest.mark.stack


@pytest.fixture()
def traced(ctx: Context) -> Context:
    ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
    ingest_postings(ctx, "postings_update.jsonl", (SAMPLES / "postings_update.jsonl").read_bytes())
    return ctx


def test_trace_reaches_the_first_observation_and_verifies(traced: Context) -> None:
    result = lineage.trace_posting(traced.endpoints.dsn, "gh-brightloom-7731", "salary_min")
    assert result["value"] == 175000
    assert result["event"]["event_type"] == "posting.changed"
    assert [c["event_type"] for c in result["causes"]] == ["posting.observed"]
    assert result["event"]["topic"] == "postings" and result["event"]["offset"] >= 0
    assert result["event"]["producer"]["component"] == "tests"
    verified = lineage.verify(result, traced.log_reader, traced.codec)
    assert verified["verified"] is True
    assert all(c["ok"] for c in verified["verification"])


def test_an_unchanged_field_traces_to_the_observation(traced: Context) -> None:
    result = lineage.trace_posting(traced.endpoints.dsn, "gh-brightloom-7731", "title")
    assert result["event"]["event_type"] == "posting.observed" and result["causes"] == []


def test_verification_fails_when_the_audit_log_disagrees_with_the_log(traced: Context) -> None:
    result = lineage.trace_posting(traced.endpoints.dsn, "stp-884120", "title")
    with psycopg.connect(traced.endpoints.dsn) as conn:
        conn.execute(
            'UPDATE proj.audit_log SET "offset" = "offset" + 1 WHERE event_id = %s',
            (result["event"]["event_id"],),
        )
    moved = lineage.trace_posting(traced.endpoints.dsn, "stp-884120", "title")
    verified = lineage.verify(moved, traced.log_reader, traced.codec)
    assert verified["verified"] is False
    assert not verified["verification"][0]["ok"]


def test_unknown_posting_or_field_is_a_clear_error(traced: Context) -> None:
    with pytest.raises(lineage.TraceError, match="no posting with id"):
        lineage.trace_posting(traced.endpoints.dsn, "nope", "title")
    with pytest.raises(lineage.TraceError, match="traceable fields"):
        lineage.trace_posting(traced.endpoints.dsn, "stp-884120", "favourite_colour")


def test_trace_over_http(traced: Context) -> None:
    from tests.tokens import bearer

    auditor = bearer(traced, "lineage-tests", "auditor")
    url = f"{traced.endpoints.api_url}/trace/posting/stp-884120/work_model"
    assert httpx.get(url, timeout=30).status_code == 401
    body = httpx.get(url, headers=auditor, timeout=30).json()
    assert body["value"] == "Hybrid" and body["verified"] is True
    assert body["event"]["event_type"] == "posting.changed"
    missing = httpx.get(f"{traced.endpoints.api_url}/trace/posting/nope/title", headers=auditor, timeout=30)
    assert missing.status_code == 404 and "no posting" in missing.json()["detail"]
