"""`POST /feedback`: a person's verdict on a pair's current match, classified and emitted as an
event on `feedback` (tied to the match version and the jury decisions it disputes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator

from infra.api import problems
from infra.api.auth import authenticator, forbidden
from infra.usecases.feedback import give_feedback, shown
from processors.quality.feedback import COMPONENTS
from processors.sensitive.access import Role, Viewer
from projections.read import access as access_reads
from schemas.models import Producer
from streams.producer import EventProducer

API = Producer(component="api", version="1")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile_id: str = Field(min_length=1, max_length=200)
    posting_id: str = Field(min_length=1, max_length=200)
    verdict: Literal["right", "wrong"]
    reason: str = Field(min_length=1, max_length=4000, description="why, in the person's words")
    component: str | None = Field(
        default=None, description="the score component disputed, e.g. fit.hard_skills"
    )

    @field_validator("component")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in COMPONENTS:
            raise ValueError(f"component must be one of {', '.join(COMPONENTS)}")
        return value

    @field_validator("reason")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a reason must say why")
        return value


class FeedbackOut(BaseModel):
    event_id: str
    profile_id: str
    posting_id: str
    match_event_id: str
    profile_version: int | None
    derivation_version: int | None
    verdict: str
    reason: str | None
    category: str = Field(description="skill_missed, skill_wrongly_read, experience_misjudged, location, ...")
    component: str | None
    classifier: str
    decision_ids: list[str] = Field(description="the jury decisions the verdict bears on")
    author: str
    given_at: datetime


def feedback_router(dsn: str, schema: str, producer: Callable[[], EventProducer]) -> APIRouter:
    router = APIRouter(tags=["feedback"])
    current_viewer = authenticator(dsn)

    @router.post("/feedback", responses=problems.responses(401, 403, 404))
    def give(body: FeedbackIn, viewer: Viewer = Depends(current_viewer)) -> FeedbackOut:
        """Say a match is right or wrong, and why. For the candidate, the posting's employer and services;
        the event is emitted before the answer, and projected shortly after."""
        company = access_reads.posting_company(dsn, body.posting_id, schema)
        if viewer.role is Role.AUDITOR or not viewer.may_read_match(
            body.profile_id, body.posting_id, company
        ):
            raise forbidden(f"a {viewer.role} token for {viewer.viewer!r} may not judge the match of "
                            f"{body.profile_id!r} and {body.posting_id!r}")  # fmt: skip
        event = give_feedback(
            dsn, schema, producer(), API, profile_id=body.profile_id, posting_id=body.posting_id,
            verdict=body.verdict, reason=body.reason, component=body.component, author=viewer.viewer,
        )  # fmt: skip
        return FeedbackOut.model_validate(shown(event))

    return router
