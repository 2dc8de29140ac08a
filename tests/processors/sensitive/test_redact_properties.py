"""Properties over random rules, postings and explanations: nothing leaks before its stage.

Values are drawn so that none is a spelling of another (six-digit numbers, words of at
least four letters with no word inside another): then "appears" has one meaning and a
value that must show is never scrubbed for looking like one that must not.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from processors.sensitive import (
    EARLIEST_STAGE,
    FieldRule,
    RuleSet,
    Stage,
    Strategy,
    Visibility,
    redact,
    redact_text,
)

FIELDS = [f"field_{i}" for i in range(8)]
LABELS = [None, "Competitive salary", "Budget allocated", "Confidential requirement met", "[Redacted]"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvw", min_size=4, max_size=10)
NUMBERS = st.integers(min_value=100_000, max_value=999_999)
FILLER = ["the", "role", "pays", "with", "and", "your", "budget", "-", ";", "(", ")"]


@st.composite
def rules_for(draw: st.DrawFn, fields: list[str]) -> RuleSet:
    rules = []
    for field in fields:
        if not draw(st.booleans()):
            continue
        visibility = draw(st.sampled_from(list(Visibility)))
        earliest = EARLIEST_STAGE[visibility]
        stage = None if earliest is None else draw(st.sampled_from([s for s in Stage if s >= earliest]))
        rules.append(
            FieldRule(
                field=field,
                visibility=visibility,
                strategy=draw(st.sampled_from(list(Strategy))),
                reveal_stage=stage,
                label=draw(st.sampled_from(LABELS)),
                show_if_score_above=draw(st.none() | st.floats(0, 1)),
            )
        )
    return RuleSet(posting_id="p", rules=tuple(rules))


@st.composite
def postings(draw: st.DrawFn) -> dict[str, Any]:
    fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=len(FIELDS), unique=True))
    words = draw(st.lists(WORDS, min_size=3 * len(fields), max_size=3 * len(fields), unique=True))
    assume(not any(a != b and a in b for a in words for b in words))
    numbers = iter(draw(st.lists(NUMBERS, min_size=len(fields), max_size=len(fields), unique=True)))
    posting: dict[str, Any] = {}
    for i, field in enumerate(fields):
        kind = draw(st.sampled_from(["number", "word", "words"]))
        if kind == "number":
            posting[field] = next(numbers)
        elif kind == "word":
            posting[field] = words[3 * i]
        else:
            posting[field] = [words[3 * i + 1], {"detail": words[3 * i + 2]}]
    return posting


def leaves(value: Any) -> list[str | int]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in leaves(v)]
    return [value]


def spellings(value: str | int) -> list[str]:
    if isinstance(value, str):
        return [value, value.upper(), value.title()]
    forms = [str(value), f"{value:,}", f"${value:,}", f"{value:,}".replace(",", " "), f"{value}.00"]
    if value % 1000 == 0:
        forms.append(f"{value // 1000}k")
    return forms


def appears(value: str | int, text: str) -> bool:
    if isinstance(value, str):
        return value.lower() in text.lower()
    return any(re.search(rf"(?<!\d){re.escape(f)}(?!\d)", text) for f in spellings(value))


def expected_visible(rule: FieldRule | None, stage: Stage, score: float | None) -> bool:
    if rule is None or rule.visibility is Visibility.PUBLIC:
        return True
    if rule.visibility in (Visibility.HIDDEN_USED_FOR_MATCHING, Visibility.INTERNAL_ONLY):
        return False
    assert rule.reveal_stage is not None
    if stage < rule.reveal_stage:
        return False
    limit = rule.show_if_score_above
    return limit is None or (score is not None and score > limit)


CASES = st.tuples(postings(), st.sampled_from(list(Stage)), st.none() | st.floats(0, 1)).flatmap(
    lambda t: st.tuples(st.just(t[0]), rules_for(list(t[0])), st.just(t[1]), st.just(t[2]))
)


@settings(max_examples=300, deadline=None)
@given(CASES)
def test_views_show_a_value_exactly_from_its_stage_on(case):
    posting, rules, stage, score = case
    view, _ = redact(posting, rules, stage, match_score=score)
    shown = leaves(list(view.values()))
    shown_text = " ".join(str(x) for x in shown)
    for field, value in posting.items():
        if expected_visible(rules.rule_for(field), stage, score):
            assert view[field] == value
        else:
            for leaf in leaves(value):
                assert leaf not in shown
                assert not appears(leaf, shown_text), (field, leaf, view)


@settings(max_examples=300, deadline=None)
@given(CASES)
def test_every_sensitive_field_read_is_logged_once(case):
    posting, rules, stage, score = case
    _, accesses = redact(posting, rules, stage, match_score=score, purpose="explain")
    sensitive = sorted(f for f in posting if (r := rules.rule_for(f)) is not None and r.sensitive)
    assert sorted(a.field for a in accesses) == sensitive
    for access in accesses:
        assert access.revealed == expected_visible(rules.rule_for(access.field), stage, score)
        assert (access.strategy is None) == access.revealed
        assert access.purpose == "explain"


@settings(max_examples=300, deadline=None)
@given(CASES, st.data())
def test_explanations_never_quote_a_value_before_its_stage(case, data):
    posting, rules, stage, score = case
    pieces = [data.draw(st.sampled_from(spellings(leaf))) for v in posting.values() for leaf in leaves(v)]
    pieces += data.draw(st.lists(st.sampled_from(FILLER), max_size=6))
    text = " ".join(data.draw(st.permutations(pieces)))
    out = redact_text(text, posting, rules, stage, match_score=score)
    for field, value in posting.items():
        visible = expected_visible(rules.rule_for(field), stage, score)
        for leaf in leaves(value):
            assert appears(leaf, out) == visible, (field, leaf, text, out)
