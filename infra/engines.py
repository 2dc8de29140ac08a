"""The engines the worker, `turing score` and the CLI use: the factory, with the rulesets that
need resources loaded here (Lily's `hybrid-1` and its ESCO skill linker).

The domain never reaches for a linker itself: `hybrid-1` gets the one built here, and the
decision names it (`processors/lily/task.py`, `hybrid_identity`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from processors.lily import hybrid
from processors.lily.task import HybridRuleset, hybrid_identity, with_linker
from processors.linking.linker import Linker
from processors.llm.factory import BoundRuleset, EngineCache
from processors.llm.output_parsing import DEFAULT_TASK_LOOKUP
from processors.llm.protocol import EngineError
from processors.llm.tasks import Task
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy

LINKER_TAXONOMY = "esco"


_DIGESTS: dict[int, tuple[Taxonomy, str]] = {}


def taxonomy_digest(taxonomy: Taxonomy) -> str:
    """sha256 over the taxonomy's whole content (skills, synonyms, edges, occupations)."""
    # Remembered per loaded object (loads are cached; ESCO takes 0.2 s to serialise).
    known = _DIGESTS.get(id(taxonomy))
    if known is not None and known[0] is taxonomy:
        return known[1]
    doc = json.dumps(store.to_dict(taxonomy), sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(doc.encode()).hexdigest()
    _DIGESTS[id(taxonomy)] = (taxonomy, digest)
    return digest


def hybrid_ruleset(linker: Linker, rules_taxonomy: Taxonomy) -> HybridRuleset:
    identity = hybrid_identity(
        linker, taxonomy_digest(linker.taxonomy), rules_taxonomy, taxonomy_digest(rules_taxonomy)
    )
    return HybridRuleset(linker, rules_taxonomy, identity)


def bind_hybrid(ruleset: HybridRuleset) -> BoundRuleset:
    lily = with_linker(ruleset)

    def lookup(name: str) -> Task[Any, Any]:
        return lily if name == lily.name else DEFAULT_TASK_LOOKUP(name)

    return BoundRuleset(ruleset.identity, lookup)


def _default_hybrid() -> BoundRuleset:
    from infra.linking_index import default_linker

    try:
        linker = default_linker(LINKER_TAXONOMY)
    except (ImportError, OSError, ValueError) as exc:
        raise EngineError(
            f"{hybrid.RULESET} needs the skill linker, which could not be loaded: {exc}"
        ) from exc
    return bind_hybrid(hybrid_ruleset(linker, store.current()))


def engine_cache(options: Mapping[str, dict[str, Any]] | None = None) -> EngineCache:
    """The pipeline's engines; `rules:hybrid-1` loads the linker on first use."""
    return EngineCache(options, rulesets={hybrid.RULESET: _default_hybrid})
