"""Matching end to end: postings through the pipeline, profiles in, match events out through Kafka."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.context import Context
from infra.usecases.ingest_postings import ingest_postings
from infra.usecases.ingest_profiles import ingest_profiles
from schemas.models import MatchEvent
from streams.reader import drain
from tests.conftest import SAMPLES
from tests.streams.pipeline_helpers import rows, start_worker, stop_worker, wait_runs

pytestmark = pytest.mark.stack


def _wait_matches(ctx: Context, at_least: int, timeout: float = 180.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    found: list[dict] = []
    while time.monotonic() < deadline:
        ctx.catch_up()
        found = rows(ctx, "SELECT * FROM proj.matches ORDER BY profile_id, fit_total DESC")
        if len(found) >= at_least:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{len(found)} matches after {timeout}s, wanted {at_least}")


@pytest.fixture(scope="module")
def matched(module_stack) -> Iterator[tuple[Path, Context]]:  # type: ignore[no-untyped-def]
    root, endpoints = module_stack
    ctx = Context(endpoints, component="tests")
    worker = start_worker(root)
    try:
        ingest_postings(ctx, "postings.jsonl", (SAMPLES / "postings.jsonl").read_bytes())
        n = rows(ctx, "SELECT count(*) AS n FROM proj.postings")[0]["n"]
        wait_runs(ctx, n)
        ingest_profiles(ctx, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
        _wait_matches(ctx, 10)
        yield root, ctx
    finally:
        stop_worker(worker)
        ctx.close()


def test_match_events_name_their_versions_and_carry_the_full_score(matched) -> None:
    _, ctx = matched
    found = _wait_matches(ctx, 10)
    profiles = {m["profile_id"] for m in found}
    assert len(profiles) >= 8  # most sample profiles have candidates among the sample postings
    nurse = [m for m in found if m["profile_id"] == "pr-siobhan-kelly"]
    assert nurse and nurse[0]["posting_id"] in {"sk-51944120", "cs-kestrelvale-20418"}
    for m in found:
        detail = m["detail"]
        assert set(detail) >= {"fit", "stretch", "practical", "non_negotiables", "explanation", "suggestions"}
        assert m["blocked"] == (detail["fit"]["total"] is None)
        assert m["profile_event_id"] and m["derivation_event_id"]


def test_match_events_are_avro_on_the_matches_topic_keyed_by_profile(matched) -> None:
    _, ctx = matched
    _wait_matches(ctx, 10)
    records = [
        r
        for batch in drain(ctx.endpoints.bootstrap_servers, {("matches", p): 0 for p in range(3)})
        for r in batch
    ]
    assert records
    for rec in records[:20]:
        _, event = ctx.codec.decode("matches", rec.value or b"")
        assert isinstance(event, MatchEvent) and rec.key == event.profile_id.encode()


def test_a_profile_change_rescores_and_supersedes_the_earlier_match(matched) -> None:
    _, ctx = matched
    before = {(m["profile_id"], m["posting_id"]): m for m in _wait_matches(ctx, 10)}
    row = json.loads((SAMPLES / "profiles.jsonl").read_text().splitlines()[0])
    row["skills"].append({"name": "Terraform", "type": "Hard", "proficiency": "Proficient"})
    ingest_profiles(ctx, "change.json", json.dumps(row).encode())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ctx.catch_up()
        mine = rows(
            ctx, "SELECT * FROM proj.matches WHERE profile_id = %s AND profile_version = 2", row["id"]
        )
        if mine:
            break
        time.sleep(0.5)
    assert mine, "no rescored match for the changed profile"
    m = mine[0]
    old = before.get((m["profile_id"], m["posting_id"]))
    if old is not None:
        assert m["supersedes"] == str(old["event_id"])
    history = rows(ctx, "SELECT count(*) AS n FROM proj.match_history WHERE profile_id = %s", row["id"])
    assert history[0]["n"] > len([k for k in before if k[0] == row["id"]])


def test_the_api_ranks_explains_and_redacts_by_stage_and_logs_every_sensitive_read(matched) -> None:
    import httpx

    from tests.tokens import bearer

    _, ctx = matched
    _wait_matches(ctx, 10)
    api = ctx.endpoints.api_url
    profile = "pr-amara-okafor"
    amara = bearer(ctx, "amara", "candidate", profile_id=profile)
    assert httpx.get(f"{api}/profiles/{profile}/matches", timeout=30).status_code == 401
    ranked = httpx.get(f"{api}/profiles/{profile}/matches", headers=amara, timeout=30).json()["items"]
    assert ranked and [m["rank"] for m in ranked] == list(range(1, len(ranked) + 1))
    fits = [m["fit"]["total"] for m in ranked]
    assert fits == sorted(fits, reverse=True)
    top = ranked[0]
    assert top["explanation"]["summary"] and top["fit"]["label"]
    posting = rows(ctx, "SELECT salary_max FROM proj.postings WHERE posting_id = %s", top["posting_id"])[0]
    if posting["salary_max"] is not None:
        shown = json.dumps(top)
        assert top["posting"]["salary_max"] == "Competitive salary"
        assert f"{posting['salary_max']:.0f}" not in shown.replace(",", "")
    one = httpx.get(
        f"{api}/matches/{profile}/{top['posting_id']}",
        params={"stage": "conversation_started"},
        headers=amara,
        timeout=30,
    )
    assert one.status_code == 200 and one.json()["fit"]["components"] and one.json()["stage"] == "discovery"
    assert httpx.get(f"{api}/matches/{profile}/nope", headers=amara, timeout=30).status_code == 404
    assert (
        httpx.get(
            f"{api}/profiles/{profile}/matches", params={"stage": "later"}, headers=amara, timeout=30
        ).status_code
        == 422
    )
    ctx.catch_up()
    logged = rows(ctx, "SELECT record FROM proj.audit_log WHERE topic = 'access' AND key = %s", "amara")
    fields = {r["record"]["field"] for r in logged}
    assert {"salary_max", "salary_min"} <= fields
    assert any(r["record"]["revealed"] is False for r in logged)
    assert {(r["record"]["role"], r["record"]["profile_id"]) for r in logged} == {("candidate", profile)}


def _spelled(value: float) -> re.Pattern[str]:
    """The usual spellings of a number: 175000, 175,000, 175 000, 175.000, 175000.0, 175k, 118.5k."""
    n = int(value)
    groups = f"{n:,}".split(",")
    forms = [re.escape(str(n)), "[,. \u00a0\u202f']?".join(groups)]
    rest = f"{n % 1000:03d}".rstrip("0")
    forms.append(f"{n // 1000}" + (f"[.,]{rest}" if rest else "") + r"\s?[kK]")
    return re.compile(r"(?<![\d.])(?:" + "|".join(forms) + r")(?![\d])")


def test_no_sensitive_value_reaches_the_matches_topic_in_any_form(matched) -> None:
    """What downstream products consume holds no value above `public`: every record of the topic,
    explanation strings, suggestions and numbers included."""
    _, ctx = matched
    _wait_matches(ctx, 10)
    secrets = {
        r["posting_id"]: [_spelled(v) for v in (r["salary_min"], r["salary_max"]) if v is not None]
        for r in rows(ctx, "SELECT posting_id, salary_min, salary_max FROM proj.postings")
    }
    records = [
        r
        for batch in drain(ctx.endpoints.bootstrap_servers, {("matches", p): 0 for p in range(3)})
        for r in batch
    ]
    assert records
    quoted = 0
    for rec in records:
        _, event = ctx.codec.decode("matches", rec.value or b"")
        assert isinstance(event, MatchEvent)
        text = json.dumps(event.model_dump(mode="json"), ensure_ascii=False) + (rec.value or b"").decode(
            "utf-8", "replace"
        )
        for pattern in secrets[event.posting_id]:
            hit = pattern.search(text)
            assert hit is None, (event.posting_id, hit.group(0) if hit else None)
        quoted += "\u27e6salary_" in text
    assert quoted, "no explanation mentioned a salary at all: the scan proved nothing"


def test_a_fit_score_traces_to_the_profile_and_posting_events_and_verifies(matched) -> None:
    from projections import lineage
    from projections.lineage import trace_match

    _, ctx = matched
    m = next(m for m in _wait_matches(ctx, 10) if not m["blocked"])
    trace = trace_match(ctx.endpoints.dsn, m["profile_id"], m["posting_id"], "fit.total")
    assert trace["value"] == m["detail"]["fit"]["total"]
    topics = {e["topic"] for e in [trace["event"], *trace["causes"], *trace["related"]]}
    assert {"matches", "profiles", "derivations", "postings"} <= topics
    verified = lineage.verify(trace, ctx.log_reader, ctx.codec)
    assert verified["verified"], verified["verification"]


def test_matched_requirements_carry_profile_evidence_with_pointers(matched) -> None:
    _, ctx = matched
    found = [m for m in _wait_matches(ctx, 10) if not m["blocked"] and m["detail"].get("evidence")]
    assert found, "no unblocked match carries evidence"
    for item in found[0]["detail"]["evidence"]:
        assert item["source"] and item["text"] and item["found_by"] == "lexical"
        assert item["requirement_index"] >= 0 and 0 < item["score"] <= 1
