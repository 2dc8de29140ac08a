"""A language requirement keeps the level Lily read ("French at C1 level", "native German"), and
a profile that lists the language among its skills speaks it."""

from __future__ import annotations

import pytest

from processors.scoring.from_posting import cefr_level, derived_fields
from processors.scoring.models import DerivedPosting
from processors.scoring.practical import language_score, spoken

from .helpers import profile, run
from .test_bridge import CONTENT, TAXONOMY, layer, stacks


@pytest.mark.parametrize(
    ("said", "level"),
    [("C1", "C1"), ("b2", "B2"), ("native", "native"), ("Mother tongue", "native"), ("fluent", "C1"),
     ("business-level", "C1"), ("conversational", "B1"), ("basic", "A2"), ("", None), (None, None),
     ("D4", None), ("some", None)],
)  # fmt: skip
def test_levels_land_on_the_cefr_ladder(said: str | None, level: str | None) -> None:
    assert cefr_level(said) == level


def test_the_level_reaches_the_required_language_and_gates_a_lower_one() -> None:
    fields = derived_fields("q", CONTENT, stacks(layer("French", level="C1")), TAXONOMY)
    assert fields["languages_required"] == [{"name": "French", "level": "C1"}]
    posting = DerivedPosting.model_validate(fields)
    b2 = profile(languages=[{"name": "French", "level": "B2"}])
    c2 = profile(languages=[{"name": "French", "level": "C2"}])
    assert language_score(b2.languages, posting.languages_required)[1] == ["French C1 (you have B2)"]
    assert language_score(c2.languages, posting.languages_required) == (1.0, [])


def test_a_language_listed_as_a_skill_is_spoken() -> None:
    claire = profile(skills=[{"name": "French", "proficiency": "Expert"}, {"name": "Python"}])
    assert [x.name for x in spoken(claire)] == ["French", "Python"]
    posting = DerivedPosting.model_validate(derived_fields("q", CONTENT, stacks(layer("French")), TAXONOMY))
    assert language_score(spoken(claire), posting.languages_required) == (1.0, [])
    result = run(claire, posting)
    assert result.practical.components.language == 1.0
    assert not any("language" in r.casefold() for r in result.practical.hard_fail_reasons)
