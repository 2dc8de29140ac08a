"""`score(profile, posting, config, similarity=None, *, taxonomy)`: the whole answer for one pair.

The evaluation (`evaluation.py`: gates, Fit, Stretch, practical fit), then the explanation
and the suggestions (each one an exact re-score, see `suggest`).
"""

from __future__ import annotations

from processors.scoring.config import DEFAULT, ScoringConfig
from processors.scoring.evaluation import evaluate, result_of
from processors.scoring.explain import explain
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.result import ScoreResult
from processors.scoring.similarity import Similarity, lexical_similarity
from processors.scoring.suggest import suggest
from processors.taxonomy.model import Taxonomy


def score(
    profile: Profile,
    posting: DerivedPosting,
    config: ScoringConfig = DEFAULT,
    similarity: Similarity | None = None,
    *,
    taxonomy: Taxonomy,
    suggestions: bool = True,
) -> ScoreResult:
    """Score one pair against `taxonomy` (the one the caller's wiring chose)."""
    sim = similarity or lexical_similarity
    ev = evaluate(profile, posting, config, sim, taxonomy)
    result = result_of(ev)
    found = suggest(ev, sim, taxonomy) if suggestions else []
    return result.model_copy(update={"explanation": explain(ev, result, taxonomy), "suggestions": found})
