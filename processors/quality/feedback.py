"""Feedback on a match ("you're wrong because X", seed 000): the event, and X classified by rules.

Rules (`feedback-rules-1`), tried in order, first match wins; case-insensitive word stems:

| category | component | cue words |
| --- | --- | --- |
| skill_wrongly_read | fit.hard_skills | misread, confused, not the same, wrong skill, mixed up, read as, mistook |
| salary | practical.compensation | salary, pay, paid, compensation, wage, money, bonus |
| location | practical.location | location, commute, remote, relocat, distance, onsite, office, km, miles |
| experience_misjudged | fit.experience | years, experience, senior, junior, overqualified, underqualified |
| culture | fit.soft_skills | culture, values, team, manager, environment |
| skill_missed | fit.hard_skills | missed, ignored, didn't count, not counted, I have, I know, skill |
| other | (none) | anything else |

A component named by the person wins over the rules' one; when the words say nothing, the
component named decides the category.
"""

from __future__ import annotations

import re
from typing import Literal

from schemas.models import FeedbackEvent, Producer, event_meta

CLASSIFIER = "feedback-rules-1"
FEEDBACK = Producer(component="feedback", version="1")
Verdict = Literal["right", "wrong"]
VERDICTS: tuple[str, ...] = ("right", "wrong")
CATEGORIES: tuple[str, ...] = (
    "skill_missed",
    "skill_wrongly_read",
    "experience_misjudged",
    "location",
    "salary",
    "culture",
    "other",
)
COMPONENTS: tuple[str, ...] = (
    "fit.hard_skills",
    "fit.soft_skills",
    "fit.experience",
    "fit.role_match",
    "fit.logistics",
    "stretch.target_role",
    "stretch.target_skills",
    "stretch.growth_trajectory",
    "practical.compensation",
    "practical.location",
    "practical.availability",
    "practical.timezone",
    "practical.language",
    "practical.work_auth",
    "practical.benefits",
    "jury.verdict",
)
_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("skill_wrongly_read", "fit.hard_skills",
     ("misread", "confused", "not the same", "wrong skill", "mixed up", "read as", "mistook")),
    ("salary", "practical.compensation", ("salary", "pay", "paid", "compensation", "wage", "money", "bonus")),
    ("location", "practical.location",
     ("location", "commute", "remote", "relocat", "distance", "onsite", "on-site", "office", "km", "miles")),
    ("experience_misjudged", "fit.experience",
     ("years", "experience", "senior", "junior", "overqualified", "underqualified", "under-qualified")),
    ("culture", "fit.soft_skills", ("culture", "values", "team", "manager", "environment")),
    ("skill_missed", "fit.hard_skills",
     ("missed", "ignored", "didn't count", "not counted", "i have", "i know", "skill")),
)  # fmt: skip
_BY_COMPONENT = {
    "fit.hard_skills": "skill_missed",
    "fit.experience": "experience_misjudged",
    "practical.compensation": "salary",
    "practical.location": "location",
    "fit.soft_skills": "culture",
}


def _cue(text: str, cue: str) -> bool:
    # A stem at a word start: "pay" matches "paying" but not "repay"; "km" needs a number before it too.
    return re.search(r"(?<![a-z])" + re.escape(cue), text) is not None


def classify(reason: str, component: str | None = None) -> tuple[str, str | None]:
    """(category, component) for a reason; the component given by the person wins."""
    text = reason.lower()
    for category, rule_component, cues in _RULES:
        if any(_cue(text, c) for c in cues):
            return category, component or rule_component
    if component is not None:
        return _BY_COMPONENT.get(component, "other"), component
    return "other", None


def check_feedback(verdict: str, reason: str, component: str | None) -> None:
    """Raise ValueError with the allowed values when an argument cannot be recorded."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if not reason.strip():
        raise ValueError("a reason must say why (it becomes the learning signal)")
    if len(reason) > 4000:
        raise ValueError(f"a reason holds at most 4000 characters, got {len(reason)}")
    if component is not None and component not in COMPONENTS:
        raise ValueError(f"component {component!r} is not one of {', '.join(COMPONENTS)}")


def feedback_event(
    *,
    profile_id: str,
    posting_id: str,
    match_event_id: str,
    versions: tuple[int, int],
    verdict: str,
    reason: str,
    component: str | None,
    decision_ids: list[str],
    author: str,
    producer: Producer = FEEDBACK,
) -> FeedbackEvent:
    """A person's act: a fresh id each time (saying it twice is two pieces of feedback)."""
    check_feedback(verdict, reason, component)
    category, chosen = classify(reason, component)
    return FeedbackEvent(
        meta=event_meta(
            f"feedback.{verdict}", producer, causation_id=match_event_id, correlation_id=profile_id
        ),
        profile_id=profile_id,
        posting_id=posting_id,
        match_event_id=match_event_id,
        verdict=verdict,
        reason=reason.strip(),
        profile_version=versions[0],
        derivation_version=versions[1],
        decision_ids=decision_ids,
        component=chosen,
        category=category,
        classifier=CLASSIFIER,
        author=author,
    )
