"""Published explanations hold no sensitive value in any spelling, and what a viewer reads is
made from them on read: for random rules, postings, stages and texts nothing shows before its
stage to any role but an auditor (or the posting's own employer), and they see it all."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from processors.sensitive import Stage
from processors.sensitive.access import Role, Viewer, shown_stage
from processors.sensitive.model import default_rules
from processors.sensitive.template import marker, publish, render
from tests.processors.sensitive.test_redact_properties import (
    CASES,
    FILLER,
    appears,
    expected_visible,
    leaves,
    spellings,
)

VIEWERS = [
    Viewer(viewer="c", role=Role.CANDIDATE, profile_id="u"),
    Viewer(viewer="e", role=Role.EMPLOYER, posting_owner="Elsewhere Ltd"),
    Viewer(viewer="s", role=Role.SERVICE),
    Viewer(viewer="a", role=Role.AUDITOR),
]


@st.composite
def texts(draw: st.DrawFn, posting: dict[str, Any]) -> list[str]:
    """Sentences quoting the posting's values in their usual spellings among filler words."""
    pieces = [s for v in posting.values() for leaf in leaves(v) for s in spellings(leaf)]
    out = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(st.sampled_from(pieces + FILLER), min_size=1, max_size=8))
        out.append(" ".join(words))
    return out


FULL_CASES = CASES.flatmap(lambda c: st.tuples(st.just(c), texts(c[0])))


@settings(max_examples=300, deadline=None)
@given(FULL_CASES, st.sampled_from(list(Stage)), st.none() | st.sampled_from(list(Stage)))
def test_nothing_shows_before_its_stage_to_anyone_but_an_auditor(case, recorded, asked):
    (posting, rules, _, score), sentences = case
    detail = {"explanation": {"gaps": sentences}, "n": dict(posting)}
    published = publish(detail, posting, rules)
    sensitive = [f for f in posting if (r := rules.rule_for(f)) is not None and r.sensitive]
    text = str(published)
    for field in sensitive:
        for leaf in leaves(posting[field]):
            assert not appears(leaf, text), (field, leaf, text)
    stage = shown_stage(recorded, asked)
    assert stage <= recorded
    for viewer in VIEWERS:
        full = viewer.full_view("p", "Somewhere Inc")
        shown = str(render(published, posting, rules, stage, match_score=score, full=full))
        for field, value in posting.items():
            for leaf in leaves(value):
                if full:
                    assert marker(field) not in shown
                elif not expected_visible(rules.rule_for(field), stage, score):
                    assert not appears(leaf, shown), (viewer.role, field, leaf, shown)
        assert (viewer.role is Role.AUDITOR) == full


def test_the_issue_example_keeps_the_budget_out_of_the_log_and_shows_it_to_an_auditor():
    posting = {"posting_id": "p", "salary_min": 100_000.0, "salary_max": 118_500.0, "currency": "USD"}
    rules = default_rules("p")
    text = "Salary below your minimum (118,500 USD < 120,000 USD); budget 118.5k? no: 118500"
    published = publish({"gaps": [text], "salary_max": 118500.0}, posting, rules)
    assert "118" not in str(published) and "120,000 USD" in published["gaps"][0]
    seen = render(published, posting, rules, Stage.CONVERSATION_STARTED)
    assert "118" not in str(seen) and "Competitive salary" in seen["gaps"][0]
    audited = render(published, posting, rules, Stage.DISCOVERY, full=True)
    assert "118,500 USD < 120,000 USD" in audited["gaps"][0]
