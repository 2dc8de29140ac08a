"""Who may read what, and who may move a pair's stage: the rules, pair by pair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from processors.sensitive import Stage
from processors.sensitive.access import Role, Viewer, shown_stage, token_digest, transition_error

CAND = Viewer(viewer="amara", role=Role.CANDIDATE, profile_id="pr-a")
OTHER = Viewer(viewer="sio", role=Role.CANDIDATE, profile_id="pr-b")
EMP = Viewer(viewer="hr", role=Role.EMPLOYER, posting_owner="Brightloom  Analytics")
ONE = Viewer(viewer="hr1", role=Role.EMPLOYER, posting_id="q-1")
AUD = Viewer(viewer="audit", role=Role.AUDITOR)
SVC = Viewer(viewer="svc", role=Role.SERVICE)
CO = "brightloom analytics"


def test_reads_by_role() -> None:
    assert CAND.may_read_profile("pr-a") and not CAND.may_read_profile("pr-b")
    assert not EMP.may_read_profile("pr-a") and AUD.may_read_profile("pr-a") and SVC.may_read_profile("pr-a")
    assert EMP.may_read_match("pr-a", "q-9", CO) and not EMP.may_read_match("pr-a", "q-9", "Rival")
    assert ONE.may_read_match("pr-a", "q-1", None) and not ONE.may_read_match("pr-a", "q-2", None)
    assert EMP.full_view("q-9", CO) and AUD.full_view("q-9", None)
    assert not CAND.full_view("q-9", CO) and not SVC.full_view("q-9", CO)


def move(v: Viewer, current: Stage, target: Stage, profile: str = "pr-a") -> str | None:
    return transition_error(v, profile, "q-1", CO, current, target)


def test_the_seed_flow_and_nothing_else() -> None:
    d, i, m, c = Stage
    assert move(CAND, d, i) is None
    assert move(EMP, i, m) is None
    assert move(CAND, m, c) is None and move(EMP, m, c) is None
    assert move(EMP, d, m) is not None  # nothing to reciprocate
    assert move(CAND, d, m) is not None and move(CAND, i, m) is not None  # a candidate cannot reciprocate
    assert move(CAND, i, c) is not None and move(EMP, i, c) is not None  # no conversation before mutual
    assert move(OTHER, d, i) is not None  # not their pair
    assert move(Viewer(viewer="x", role=Role.EMPLOYER, posting_owner="Rival"), i, m) is not None
    assert move(AUD, d, i) is not None
    assert move(SVC, d, c) is None


@given(
    st.sampled_from(list(Stage)), st.sampled_from(list(Stage)), st.sampled_from([CAND, EMP, ONE, AUD, SVC])
)
def test_stages_never_move_back(current: Stage, target: Stage, who: Viewer) -> None:
    if target <= current:
        assert move(who, current, target) is not None


@given(st.sampled_from(list(Stage)), st.none() | st.sampled_from(list(Stage)))
def test_a_requested_stage_only_narrows(recorded: Stage, asked: Stage | None) -> None:
    shown = shown_stage(recorded, asked)
    assert shown <= recorded and (asked is None or shown <= asked)


@pytest.mark.parametrize("token", ["tu_abc", "tu_" + "x" * 43])
def test_only_a_digest_is_kept(token: str) -> None:
    digest = token_digest(token)
    assert len(digest) == 64 and token not in digest and digest == token_digest(token)
