"""Matching: score (profile version, derivation version) pairs and state each result as a match event.

Pure: the versions come in, events go out. The event's score and explanation hold markers,
never values, for the posting's sensitive fields. A match event names the versions it was
computed from and the match event it supersedes for the same pair; its id derives from
the two version events, so a re-delivered trigger yields the same event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from processors.lily.model import Decomposition
from processors.matching.payload import typed_fields
from processors.scoring.config import ScoringConfig
from processors.scoring.from_posting import derived_posting
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.result import ScoreResult
from processors.scoring.score import score
from processors.scoring.similarity import Similarity
from processors.sensitive.model import default_rules
from processors.sensitive.template import publish
from processors.taxonomy.model import Taxonomy
from schemas.models import MatchEvent, PostingContent, Producer, deterministic_id, event_meta

MATCHER = Producer(component="matcher", version="1")


@dataclass(frozen=True)
class ProfileVersion:
    profile_id: str
    version: int
    event_id: str
    profile: Profile


@dataclass(frozen=True)
class PostingVersion:
    posting_id: str
    version: int
    event_id: str
    posting: DerivedPosting


def posting_version(
    posting_id: str,
    version: int,
    event_id: str,
    content: PostingContent,
    requirements: list[Decomposition],
    ghost_score: float | None,
    taxonomy: Taxonomy,
) -> PostingVersion:
    posting = derived_posting(posting_id, content, requirements, ghost_score, taxonomy)
    return PostingVersion(posting_id, version, event_id, posting)


def match_event(
    p: ProfileVersion,
    q: PostingVersion,
    result: ScoreResult,
    supersedes: str | None,
    trigger: str,
    evidence: list[dict[str, Any]] | None = None,
) -> MatchEvent:
    blocked = result.fit.total is None
    detail = result.model_dump(mode="json")
    if evidence is not None:
        detail["evidence"] = evidence
    # Downstream products read this event with no stage or role: no sensitive value may be in
    # it, in any spelling. Readers get the viewer's text on read (processors/sensitive/template.py).
    detail = publish(detail, q.posting.model_dump(mode="json"), default_rules(q.posting_id))
    payload = typed_fields(detail, result.ghost_score, result.recommendation)
    return MatchEvent(
        meta=event_meta(
            "match.scored",
            MATCHER,
            event_id=deterministic_id("match", p.event_id, q.event_id),
            causation_id=trigger,
            correlation_id=p.profile_id,
        ),
        profile_id=p.profile_id,
        posting_id=q.posting_id,
        profile_version=p.version,
        derivation_version=q.version,
        fit_total=float(result.fit.total or 0.0),
        stretch_total=float(result.stretch.total or 0.0),
        ghost_score=result.ghost_score,
        recommendation=result.recommendation,
        supersedes=supersedes,
        profile_event_id=p.event_id,
        derivation_event_id=q.event_id,
        practical_total=result.practical.total,
        fit_label=result.fit.label or "",
        blocked=blocked,
        **payload,
    )


Previous = Callable[[str, str], tuple[str, str, str] | None]
"""(profile id, posting id) -> (match event id, profile event id, derivation event id) of the latest match."""


def match_pairs(
    pairs: Iterable[tuple[ProfileVersion, PostingVersion]],
    previous: Previous,
    trigger: str,
    config: ScoringConfig,
    taxonomy: Taxonomy,
    similarity: Similarity | None = None,
    evidence: Callable[[ProfileVersion, PostingVersion], list[dict[str, Any]]] | None = None,
) -> list[MatchEvent]:
    """Score each pair whose versions changed since its last match; skip the ones already scored."""
    events = []
    for p, q in pairs:
        before = previous(p.profile_id, q.posting_id)
        if before is not None and before[1:] == (p.event_id, q.event_id):
            continue  # this very pair of versions was scored already
        result = score(p.profile, q.posting, config, similarity, taxonomy=taxonomy)
        found = evidence(p, q) if evidence is not None and result.fit.total is not None else None
        events.append(match_event(p, q, result, before[0] if before else None, trigger, found))
    return events
