"""The reprocess use case without a stack: the request's checks and the wait for runs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from infra.usecases import reprocess as reprocessing
from schemas.errors import BadInput


def _request(**overrides: Any) -> reprocessing.ReprocessRequest:
    args: dict[str, Any] = {"step": "lily", "models": [], "reason": "new ruleset", "posting_ids": ["p1"]}
    return reprocessing.reprocess_request(**{**args, **overrides})


def test_a_good_request_keeps_its_choices_and_drops_repeated_ids() -> None:
    request = _request(models=["lily=rules:rules-1"], posting_ids=["p1", "p2", "p1"], priority=5)
    assert request.models == {"lily": "rules:rules-1"}
    assert request.posting_ids == ("p1", "p2") and request.priority == 5


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"posting_ids": []}, "exactly one of --posting, --where or --all"),
        ({"where": ["status=open"]}, "exactly one of"),
        ({"reason": "   "}, "--reason must say why"),
        ({"models": ["lily"]}, "lily"),
    ],
)
def test_a_bad_request_is_bad_input_before_any_service_is_contacted(
    overrides: dict[str, Any], says: str
) -> None:
    with pytest.raises(BadInput, match=says):
        _request(**overrides)


class _Log:
    """Stands in for the context: each catch-up moves the runs one step on."""

    def __init__(self, rounds: list[dict[str, str]]) -> None:
        self.rounds, self.caught_up = rounds, 0
        self.endpoints, self.schema = SimpleNamespace(dsn="unused"), "proj"

    def catch_up(self) -> None:
        self.caught_up += 1

    def statuses(self, _dsn: str, run_ids: list[str], _schema: str) -> dict[str, str]:
        seen = self.rounds[min(self.caught_up, len(self.rounds)) - 1]
        return {r: s for r, s in seen.items() if r in run_ids}


def test_waiting_follows_the_runs_until_each_has_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    log = _Log([{}, {"a": "started"}, {"a": "completed", "b": "started"}, {"a": "completed", "b": "failed"}])
    monkeypatch.setattr(reprocessing.pipeline_reads, "run_statuses", log.statuses)
    progress: list[tuple[int, int]] = []
    got = reprocessing.wait_for_runs(log, ["a", "b"], 30, on_progress=lambda d, t: progress.append((d, t)))  # type: ignore[arg-type]
    assert got == {"a": "completed", "b": "failed"}
    assert progress == [(0, 2), (0, 2), (1, 2), (2, 2)]


def test_runs_that_never_start_say_so_once_then_time_out(monkeypatch: pytest.MonkeyPatch) -> None:
    log = _Log([{}])
    monkeypatch.setattr(reprocessing.pipeline_reads, "run_statuses", log.statuses)
    monkeypatch.setattr(reprocessing, "QUIET_S", 0.0)
    quiet: list[bool] = []
    with pytest.raises(TimeoutError, match="2 run\\(s\\) unfinished"):
        reprocessing.wait_for_runs(log, ["a", "b"], 0.05, on_quiet=lambda: quiet.append(True))  # type: ignore[arg-type]
    assert quiet == [True]
    with pytest.raises(TimeoutError, match="run a unfinished"):
        reprocessing.wait_for_runs(log, ["a"], 0.01)  # type: ignore[arg-type]
