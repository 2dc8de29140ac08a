"""A match's published score as the typed fields of its event (schema v3), and read back as the
JSON the projection stores, from an event of any version.

The typed fields are made from the published tree (sensitive values already markers). Where
they cannot state that tree exactly (a number that equals a sensitive value was replaced by its
marker, and a number field cannot hold a marker), the event keeps the tree as JSON text in
`detail`, as before v3: the log never holds less than was published.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from schemas import payloads
from schemas.models import MatchEvent

_SCORE_KEYS = ("profile_id", "posting_id", "fit", "stretch", "practical", "non_negotiables")
_FLAG_KEYS = ("auto_draft", "needs_review", "extensions")


def typed_fields(published: dict[str, Any], ghost_score: float | None, recommendation: str) -> dict[str, Any]:
    """The v3 fields stating `published` (a score result's tree, evidence included), or the
    pre-v3 `detail` text when the records cannot state it exactly."""
    try:
        fields: dict[str, Any] = {
            "score": payloads.MatchScore.model_validate(
                {k: published[k] for k in (*_SCORE_KEYS, *_FLAG_KEYS) if k in published}
            ),
            "explanation": payloads.Explanation.model_validate(published["explanation"]),
            "suggestions": [payloads.Suggestion.model_validate(s) for s in published.get("suggestions", [])],
            "evidence": (
                None
                if "evidence" not in published
                else [payloads.Evidence.model_validate(e) for e in published["evidence"]]
            ),
        }
    except (ValidationError, KeyError, TypeError):
        return {"detail": _text(published)}
    back = _tree(fields["score"], fields["explanation"], fields["suggestions"], fields["evidence"],
                 ghost_score, recommendation)  # fmt: skip
    return fields if _text(back) == _text(published) else {"detail": _text(published)}


def detail_json(e: MatchEvent) -> dict[str, Any]:
    """The match's score as one JSON object (the scorer's result plus evidence)."""
    if e.score is None:
        return dict(json.loads(e.detail))
    return _tree(e.score, e.explanation, e.suggestions, e.evidence, e.ghost_score, e.recommendation)


def _tree(
    score: payloads.MatchScore,
    explanation: payloads.Explanation | None,
    suggestions: list[payloads.Suggestion],
    evidence: list[payloads.Evidence] | None,
    ghost_score: float | None,
    recommendation: str,
) -> dict[str, Any]:
    tree = score.model_dump(mode="json")
    tree.update(ghost_score=ghost_score, recommendation=recommendation)
    if explanation is not None:
        tree["explanation"] = explanation.model_dump(mode="json")
    tree["suggestions"] = [s.model_dump(mode="json") for s in suggestions]
    if evidence is not None:
        tree["evidence"] = [x.model_dump(mode="json") for x in evidence]
    return tree


def _text(tree: Any) -> str:
    return json.dumps(tree, ensure_ascii=False, sort_keys=True)
