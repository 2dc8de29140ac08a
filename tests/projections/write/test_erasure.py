"""Erasure on an immutable log (issue 13, item 5): profile documents travel sealed with a key of
their own; erasing destroys the key, withdraws the matches downstream, drops the projection's rows;
a rebuild reproduces the erased state and a match trace says "erased"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infra.api.app import create_app
from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.access import erase_profile
from processors.sensitive.shredding import is_sealed
from projections.lineage import trace_match
from projections.stores.keys import PostgresKeyStore
from projections.write.rebuild import rebuild
from schemas.models import MatchEvent, ProfileEvent
from streams.reader import drain
from tests.infra.api.test_access_api import POSTING, PROFILE, seed_samples_with_a_match
from tests.streams.pipeline_helpers import rows
from tests.tokens import bearer

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def ctx(module_stack: tuple[Any, Endpoints]) -> Iterator[Context]:
    _, endpoints = module_stack
    c = Context(endpoints, component="tests")
    try:
        seed_samples_with_a_match(c)
        yield c
    finally:
        c.close()


def _records(ctx: Context, topic: str) -> list[Any]:
    starts = {(topic, p): 0 for p in range(3)}
    return [
        ctx.codec.decode(topic, r.value or b"")[1]
        for b in drain(ctx.endpoints.bootstrap_servers, starts)
        for r in b
    ]


def test_profile_documents_are_sealed_in_the_log_and_readable_in_the_projection(ctx: Context) -> None:
    events = [e for e in _records(ctx, "profiles") if isinstance(e, ProfileEvent)]
    assert events and all(is_sealed(e.document) for e in events)
    amara = next(e for e in events if e.profile_id == PROFILE)
    assert "Northwind" not in amara.document and "pricing API" not in amara.document
    projected = rows(ctx, "SELECT document FROM proj.profiles WHERE profile_id = %s", PROFILE)[0]["document"]
    assert "Northwind" in json.dumps(projected)


def test_erasure_shreds_withdraws_drops_and_survives_a_rebuild(ctx: Context) -> None:
    assert rows(ctx, "SELECT count(*) AS n FROM proj.matches WHERE profile_id = %s", PROFILE)[0]["n"] == 1
    answer = erase_profile(ctx, PROFILE, "GDPR art. 17 request #42")
    assert answer["withdrawn_matches"] == [POSTING]
    assert PostgresKeyStore(ctx.endpoints.dsn).key_for(PROFILE) is None
    for table in ("profiles", "profile_versions", "profile_atoms", "matches", "match_history"):
        left = rows(ctx, f"SELECT count(*) AS n FROM proj.{table} WHERE profile_id = %s", PROFILE)[0]["n"]
        assert left == 0, table
    withdrawn = [
        e
        for e in _records(ctx, "matches")
        if isinstance(e, MatchEvent) and e.meta.event_type == "match.withdrawn"
    ]
    assert [(e.profile_id, e.posting_id) for e in withdrawn] == [(PROFILE, POSTING)]
    assert erase_profile(ctx, PROFILE, "again")["already"] is True
    others = rows(ctx, "SELECT count(*) AS n FROM proj.profiles")[0]["n"]
    assert others > 0

    report = rebuild(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, dead_letters=ctx.producer)
    assert report.equal and report.swapped
    assert rows(ctx, "SELECT count(*) AS n FROM proj.profiles WHERE profile_id = %s", PROFILE)[0]["n"] == 0
    assert rows(ctx, "SELECT count(*) AS n FROM proj.matches WHERE profile_id = %s", PROFILE)[0]["n"] == 0
    assert rows(ctx, "SELECT count(*) AS n FROM proj.profiles")[0]["n"] == others
    assert rows(ctx, "SELECT reason FROM proj.erasures WHERE profile_id = %s", PROFILE)[0][
        "reason"
    ].startswith("GDPR")

    traced = trace_match(ctx.endpoints.dsn, PROFILE, POSTING, "fit.total")
    assert traced["value"] == "erased" and traced["event"]["event_type"] == "profile.erased"
    with TestClient(create_app(ctx.endpoints), raise_server_exceptions=False) as api:
        auditor = bearer(ctx, "erasure-audit", "auditor")
        assert api.get(f"/profiles/{PROFILE}/matches", headers=auditor).status_code == 404
