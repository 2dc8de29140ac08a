from __future__ import annotations

import pytest

from processors.quality.feedback import CATEGORIES, classify, feedback_event


@pytest.mark.parametrize(
    ("reason", "category", "component"),
    [
        ("You misread Java as JavaScript", "skill_wrongly_read", "fit.hard_skills"),
        ("The pay is far below what I earn", "salary", "practical.compensation"),
        ("It is a 90 km commute", "location", "practical.location"),
        ("I have 8 years of this, not 3", "experience_misjudged", "fit.experience"),
        ("Their culture is not for me", "culture", "fit.soft_skills"),
        ("You missed my Kubernetes certificate", "skill_missed", "fit.hard_skills"),
        ("Just no", "other", None),
    ],
)
def test_reasons_are_classified(reason: str, category: str, component: str | None) -> None:
    assert classify(reason) == (category, component)
    assert category in CATEGORIES


def test_component_named_by_the_person_wins_and_decides_when_words_do_not() -> None:
    assert classify("You missed my Go", "fit.experience") == ("skill_missed", "fit.experience")
    assert classify("nope", "practical.compensation") == ("salary", "practical.compensation")
    assert classify("repaying debts") == ("other", None)  # "pay" only at a word start


def test_event_ties_match_version_and_disputed_decisions() -> None:
    e = feedback_event(profile_id="p", posting_id="q", match_event_id="m", versions=(2, 3), verdict="wrong",
                       reason=" salary too low ", component=None, decision_ids=["h"], author="ana")  # fmt: skip
    assert (e.profile_version, e.derivation_version, e.decision_ids) == (2, 3, ["h"])
    assert (e.category, e.component, e.reason, e.meta.causation_id) == ("salary", "practical.compensation",
                                                                       "salary too low", "m")  # fmt: skip
    with pytest.raises(ValueError, match="not one of"):
        feedback_event(profile_id="p", posting_id="q", match_event_id="m", versions=(1, 1), verdict="meh",
                       reason="x", component=None, decision_ids=[], author="")  # fmt: skip
    with pytest.raises(ValueError, match="component"):
        feedback_event(profile_id="p", posting_id="q", match_event_id="m", versions=(1, 1), verdict="right",
                       reason="x", component="fit.nothing", decision_ids=[], author="")  # fmt: skip
