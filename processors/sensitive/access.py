"""Who may read what, and who may move a pair's stage (issue 13). Pure: the caller brings the
viewer (from a token), the recorded stage (from `stage.changed` events) and the posting's owner.

Roles: a candidate reads their own profile's matches; an employer reads the candidates of its
own postings (and sees those postings whole: it wrote them); an auditor reads everything in
full, and every such read is logged; a service is a downstream product or a registry writer and
sees what the recorded stage allows, like the candidate it acts for.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from processors.sensitive.model import Stage


class Role(StrEnum):
    CANDIDATE = "candidate"
    EMPLOYER = "employer"
    AUDITOR = "auditor"
    SERVICE = "service"


class Viewer(BaseModel):
    """The identity a token stands for."""

    model_config = ConfigDict(frozen=True)

    viewer: str
    role: Role
    profile_id: str | None = None
    posting_owner: str | None = None
    posting_id: str | None = None

    def owns(self, posting_id: str, company: str | None) -> bool:
        """An employer's posting: the one its token names, or any of its organisation's."""
        if self.role is not Role.EMPLOYER:
            return False
        if self.posting_id is not None and self.posting_id != posting_id:
            return False
        if self.posting_owner is not None:
            return company is not None and _same_org(company, self.posting_owner)
        return self.posting_id is not None

    def full_view(self, posting_id: str, company: str | None) -> bool:
        """Values shown whatever the stage: to auditors, and to the employer that wrote them."""
        return self.role is Role.AUDITOR or self.owns(posting_id, company)

    def may_read_profile(self, profile_id: str) -> bool:
        """All of a profile's matches: the candidate themselves, auditors, services."""
        if self.role is Role.CANDIDATE:
            return self.profile_id == profile_id
        return self.role in (Role.AUDITOR, Role.SERVICE)

    def may_read_match(self, profile_id: str, posting_id: str, company: str | None) -> bool:
        return self.may_read_profile(profile_id) or self.owns(posting_id, company)


def _same_org(company: str, owner: str) -> bool:
    return " ".join(company.split()).casefold() == " ".join(owner.split()).casefold()


def shown_stage(recorded: Stage, requested: Stage | None) -> Stage:
    """A requested stage may only narrow what the recorded one allows, never widen it."""
    return recorded if requested is None else min(recorded, requested)


def transition_error(
    viewer: Viewer, profile_id: str, posting_id: str, company: str | None, current: Stage, target: Stage
) -> str | None:
    """Why `viewer` may not move the pair from `current` to `target`; None when it may.

    The seed's flow (§6.7): the candidate says they are interested, the employer reciprocates
    (mutual interest), then either may start the conversation. Stages only go forward. A service
    (the messaging product, an operator's CLI) may record any forward move it witnessed.
    """
    if target <= current:
        return f"the pair is at {_name(current)} already; stages only move forward"
    if viewer.role is Role.AUDITOR:
        return "auditors read; they do not move stages"
    if viewer.role is Role.SERVICE:
        return None
    is_candidate = viewer.role is Role.CANDIDATE and viewer.profile_id == profile_id
    if not (viewer.owns(posting_id, company) or is_candidate):
        return "only the candidate, the posting's employer or a service may move this pair"
    if target is Stage.CONVERSATION_STARTED:
        if current is not Stage.MUTUAL_INTEREST:
            return "a conversation starts only after mutual interest"
        return None
    if is_candidate:
        if target is Stage.CANDIDATE_INTERESTED:
            return None
        return "a candidate may declare interest or start a conversation after mutual interest"
    if target is Stage.MUTUAL_INTEREST and current is Stage.CANDIDATE_INTERESTED:
        return None
    return "an employer may reciprocate a candidate's interest or start a conversation after mutual interest"


def _name(stage: Stage) -> str:
    return stage.name.lower()


def token_digest(token: str) -> str:
    """What is stored for a token: its SHA-256. A 256-bit random token needs no salt or stretching."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
