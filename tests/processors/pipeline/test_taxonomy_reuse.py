"""Replay correctness across taxonomies: a decision names the taxonomy its task read, and the
reuse key includes it, so a reprocess after switching taxonomies reuses nothing made under the
other one, while a reprocess under the same taxonomy reuses as before."""

from __future__ import annotations

import dataclasses
import json

from processors.pipeline.config import PipelineConfig
from processors.pipeline.events import reprocess_command
from processors.pipeline.executor import Reusable, ReuseKey, RunResult, execute
from processors.pipeline.work import RunInput
from processors.tasks import READS_TAXONOMY, tasks_for
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy
from schemas.models import Producer
from tests.processors.pipeline.fixtures import Engines, sample_inputs

CONFIG = PipelineConfig()
ME = Producer(component="tests", version="1")


def _another() -> Taxonomy:
    """The built-in taxonomy with one synonym more: the same codes, another content."""
    base = store.builtin()
    python = base.lookup("Python")
    assert python is not None
    skills = {**base.skills, python.code: dataclasses.replace(python, synonyms=(*python.synonyms, "Py3"))}
    return Taxonomy(skills, base.categories, base.edges, base.source, base.occupations)


def _run(
    inputs: list[RunInput], taxonomy: Taxonomy, index: dict[ReuseKey, Reusable]
) -> tuple[list[RunResult], Engines]:
    engines = Engines(tasks=tasks_for(taxonomy))
    results = execute(
        inputs, CONFIG, engines, lambda keys: {k: index[k] for k in keys if k in index}, tasks=engines.tasks
    )
    for r in results:
        assert r.status == "completed", r.work.failed
        for d in r.work.decisions:
            if d.status == "ok":
                key = ReuseKey(d.task, d.input_hash, d.engine, d.model, d.prompt_hash, d.taxonomy)
                index.setdefault(key, Reusable(str(d.meta.event_id), json.loads(d.output)))
    return results, engines


def _replay(inputs: list[RunInput]) -> list[RunInput]:
    out = []
    for i in inputs:
        command = reprocess_command(i.command.posting_id, start_step="extract_summary", overrides={},
                                    reason="replay", requested_by="tests", priority=0, producer=ME)  # fmt: skip
        out.append(RunInput(command=command, posting=i.posting, prior=None, next_version=2))
    return out


def test_decisions_name_the_taxonomy_their_task_read_and_others_none() -> None:
    (result,), _ = _run(sample_inputs(1), store.builtin(), {})
    named = {d.task: d.taxonomy for d in result.work.decisions}
    assert named["lily"] == named["map_skills"] == store.builtin().identity
    assert {t for task, t in named.items() if task not in READS_TAXONOMY} == {None}


def test_reprocess_after_switching_taxonomies_reuses_nothing_made_under_the_other_one() -> None:
    builtin, other = store.builtin(), _another()
    assert other.identity != builtin.identity
    index: dict[ReuseKey, Reusable] = {}
    inputs = sample_inputs(3)
    first, _ = _run(inputs, builtin, index)
    made_under_builtin = {str(d.meta.event_id) for r in first for d in r.work.decisions if d.taxonomy}

    switched, engines = _run(_replay(inputs), other, index)
    decisions = [d for r in switched for d in r.work.decisions]
    assert not {d.reused_decision_id for d in decisions} & made_under_builtin
    for d in decisions:
        if d.task in READS_TAXONOMY:
            assert d.status == "ok" and d.taxonomy == other.identity, (d.task, d.status, d.taxonomy)
    # Steps that read no taxonomy are still reused: their decisions do not depend on it.
    assert {d.task for d in decisions if d.status == "reused"} >= {"extract_summary", "extract_requirements"}
    assert {task for _spec, task, _n in engines.calls} >= set(READS_TAXONOMY)

    # Switching back: the first taxonomy's decisions are reused again, the other's are not.
    back, engines = _run(_replay(inputs), builtin, index)
    again = [d for r in back for d in r.work.decisions]
    assert {d.task for d in again if d.status != "reused"} <= {"ghost_score"}  # a new reference time
    assert {d.reused_decision_id for d in again if d.task in READS_TAXONOMY} <= made_under_builtin
    assert {task for _spec, task, _n in engines.calls} <= {"ghost_score"}
