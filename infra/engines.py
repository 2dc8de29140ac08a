"""The engines the worker, `turing score` and the CLI use: the factory, with the tasks built for
the configured taxonomy and the rulesets that need resources loaded here (Lily's `hybrid-1` and
its ESCO skill linker).

The domain never reaches for a taxonomy or a linker itself: the tasks get the taxonomy chosen
by the settings, `hybrid-1` gets the linker built here, and the decisions name both
(`Task.taxonomy`; `processors/lily/task.py`, `hybrid_identity`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from infra.engine_factory import BoundRuleset, EngineCache
from processors.lily import hybrid
from processors.lily.task import HybridRuleset, hybrid_identity, with_linker
from processors.linking.linker import Linker
from processors.llm.protocol import EngineError
from processors.llm.tasks import TaskRegistry
from processors.tasks import tasks_for
from processors.taxonomy.model import Taxonomy

LINKER_TAXONOMY = "esco"


def hybrid_ruleset(linker: Linker, rules_taxonomy: Taxonomy) -> HybridRuleset:
    return HybridRuleset(linker, rules_taxonomy, hybrid_identity(linker, rules_taxonomy))


def bind_hybrid(ruleset: HybridRuleset, tasks: TaskRegistry) -> BoundRuleset:
    """`tasks` (the tasks for the rules taxonomy), with Lily running `hybrid-1` on the linker."""
    return BoundRuleset(ruleset.identity, tasks.replacing(with_linker(ruleset)))


def _default_hybrid(taxonomy: Taxonomy, tasks: TaskRegistry) -> BoundRuleset:
    from infra.linking_index import default_linker

    try:
        linker = default_linker(LINKER_TAXONOMY)
    except (ImportError, OSError, ValueError) as exc:
        raise EngineError(
            f"{hybrid.RULESET} needs the skill linker, which could not be loaded: {exc}"
        ) from exc
    return bind_hybrid(hybrid_ruleset(linker, taxonomy), tasks)


def engine_cache(options: Mapping[str, dict[str, Any]] | None, taxonomy: Taxonomy) -> EngineCache:
    """The engines of the pipeline and the jury, running the task registry built for `taxonomy`
    (`cache.tasks`: give the executor the same); `rules:hybrid-1` loads the linker on first use."""
    tasks = tasks_for(taxonomy)
    return EngineCache(
        options, rulesets={hybrid.RULESET: partial(_default_hybrid, taxonomy, tasks)}, tasks=tasks
    )
