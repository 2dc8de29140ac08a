"""EnginePool on a real local Ray: rules engines as actors give what the in-process engine gives."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.engine_factory import build_engine
from processors.llm.protocol import EngineError, EngineSpec
from processors.llm.rules_engine import RulesEngine
from ray_jobs.engine_pool import EnginePool, ray_runtime, ray_temp_dir, split_evenly
from tests.processors.llm import sample_tasks
from tests.processors.llm.sample_tasks import echo_request


@pytest.fixture(scope="module")
def ray_session() -> Iterator[Path]:
    # Short, because Ray's unix sockets live under it; removed with Ray at the end of the module.
    data_dir = Path(tempfile.mkdtemp(prefix="tr-", dir="/tmp"))
    try:
        with ray_runtime(data_dir, num_cpus=2):
            yield data_dir
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _rules_factory() -> RulesEngine:
    return RulesEngine("rules-test-1", task_lookup=sample_tasks.lookup)


def _broken_factory() -> RulesEngine:
    raise RuntimeError("model weights not found")


def test_pool_matches_in_process_engine_in_order(ray_session: Path) -> None:
    requests = [echo_request(f"posting {i} with {i} words", f"r{i}") for i in range(7)]
    expected = _rules_factory().generate(requests)
    pool = EnginePool(_rules_factory, size=2)
    try:
        assert (pool.name, pool.model, pool.size, pool.num_cpus) == ("rules", "rules-test-1", 2, 0.5)
        got = pool.generate(requests)
        assert pool.generate([]) == []
    finally:
        pool.close()
    assert [r.request_id for r in got] == [r.request_id for r in requests]
    assert [(r.ok, r.output) for r in got] == [(r.ok, r.output) for r in expected]


def test_one_failing_actor_loses_only_its_shard(ray_session: Path) -> None:
    texts = ["alpha one", "beta two", "explode", "delta four"]
    requests = [echo_request(t, f"r{i}") for i, t in enumerate(texts)]
    pool = build_engine(
        EngineSpec.parse("rules:rules-test-1"),
        {"pool": 2, "pool_num_cpus": 0.25},
        task_lookup=sample_tasks.lookup,
    )
    try:
        assert isinstance(pool, EnginePool)
        results = pool.generate(requests)
        # The actor survived its failed call and answers the next batch.
        again = pool.generate(requests[:2])
    finally:
        pool.close()
    assert [r.request_id for r in results] == ["r0", "r1", "r2", "r3"]
    assert [r.ok for r in results] == [True, True, False, False]
    assert results[0].output == {"label": "alphaone", "count": 2, "flag": False}
    for failed in results[2:]:
        assert failed.error == "engine actor failed: RuntimeError: a bug in the rules"
    assert all(r.ok for r in again)


def test_engine_that_cannot_start_is_an_engine_error(ray_session: Path) -> None:
    with pytest.raises(EngineError, match="engine actors failed to start"):
        EnginePool(_broken_factory, size=1, num_cpus=0.1)


def test_split_evenly_keeps_order() -> None:
    requests = [echo_request("x", f"r{i}") for i in range(5)]
    shards = split_evenly(requests, 3)
    assert [[r.request_id for r in s] for s in shards] == [["r0", "r1"], ["r2", "r3"], ["r4"]]
    assert split_evenly(requests[:1], 3)[1:] == [[], []]


def test_ray_temp_dir_stays_short(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 80)
    chosen = ray_temp_dir(deep)
    try:
        assert len(str(chosen)) < 60 and chosen.is_dir()
    finally:
        os.rmdir(chosen)
