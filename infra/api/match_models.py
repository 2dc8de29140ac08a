"""Response bodies of the match routes: what a candidate may see of a scored match."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from infra.api.models import Body, Timestamp
from processors.scoring.result import (
    Explanation,
    FitResult,
    NonNegotiablesResult,
    PracticalResult,
    StretchResult,
    Suggestion,
)

# processors.sensitive.model.Stage, as the API spells it (a test keeps the two equal)
StageName = Literal["discovery", "candidate_interested", "mutual_interest", "conversation_started"]


class PostingView(Body):
    """The posting as redacted for the stage: a hidden field is absent, a masked one a label."""

    posting_id: str
    source: str | None = None
    title: str | None = None
    company: str | None = None
    location: str | None = None
    description: str | None = None
    salary_min: float | str | None = Field(default=None, description="a number, or a label until its stage")
    salary_max: float | str | None = Field(default=None, description="a number, or a label until its stage")
    currency: str | None = None
    work_model: str | None = None
    posted_at: Timestamp | None = None
    url: str | None = None


class Score(Body):
    total: float | None
    label: str


class PracticalScore(Body):
    total: float | None
    hard_fail: bool


class MatchVersions(Body):
    profile: int
    derivation: int
    match_event_id: str
    supersedes: str | None = Field(description="the match event this one replaced")


class _Shown(Body):
    posting: PostingView
    stage: StageName = Field(
        description="the stage the values were shown at: the pair's recorded stage, or an earlier one asked for"
    )
    recommendation: str
    ghost_score: float | None
    blocked: bool
    explanation: Explanation
    suggestions: list[Suggestion]
    non_negotiables: NonNegotiablesResult
    versions: MatchVersions


class RankedMatch(_Shown):
    rank: int = Field(description="1 for the best match of the profile, counted across pages")
    posting_id: str
    fit: Score
    stretch: Score
    practical: PracticalScore


class CandidateMatch(RankedMatch):
    rank: int = Field(description="1 for the posting's best candidate, counted across pages")
    profile_id: str


class JuryVerdict(Body):
    """Helen's verdict on the match event shown, with her reasons and the three decisions."""

    verdict: Literal["apply", "apply_address_gap", "skip"]
    reasons: list[str]
    addresses: list[str] = Field(description="the gap components to address before applying")
    engine: str
    decided_at: Timestamp
    decision_ids: list[str] = Field(description="Oscar's, Rita's and Helen's decision events")


class MatchDetail(_Shown):
    profile_id: str
    posting_id: str
    fit: FitResult
    stretch: StretchResult
    practical: PracticalResult
    jury: JuryVerdict | None = Field(default=None, description="null when no jury sat on this match")


class StageChange(Body):
    """Move a pair's reveal stage: the candidate declares interest, the employer reciprocates,
    either starts the conversation once interest is mutual."""

    to: StageName


class PairStage(Body):
    profile_id: str
    posting_id: str
    stage: StageName
    previous: StageName
    changed_by: str
    event_id: str
