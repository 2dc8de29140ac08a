"""Visibility rules, staged reveal and redaction of sensitive posting fields (seed 002 §6)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from processors.sensitive import (
    REDACTED,
    FieldRule,
    RuleSet,
    Stage,
    Strategy,
    Visibility,
    default_rules,
    masked,
    redact,
    redact_text,
    scoring_view,
)

POSTING = {
    "id": "p-7",
    "title": "Platform Engineer",
    "company": "Northwind",
    "salary_min": 62000,
    "salary_max": 91000,
    "hiring_manager_notes": "backfill for Dana",
    "description": "Northwind pays up to 91k for this role.",
}


def test_auto_populated_defaults_follow_the_seed():
    rules = default_rules("p-7")
    assert rules.posting_id == "p-7"
    top = rules.rule_for("salary_max")
    assert top is not None
    assert (top.visibility, top.strategy, top.label) == (
        Visibility.HIDDEN_USED_FOR_MATCHING,
        Strategy.GENERIC_LABEL,
        "Competitive salary",
    )
    bottom = rules.rule_for("salary_min")
    assert bottom is not None
    assert (bottom.visibility, bottom.strategy, bottom.reveal_stage) == (
        Visibility.POST_MATCH,
        Strategy.MASK,
        Stage.MUTUAL_INTEREST,
    )
    notes = rules.rule_for("hiring_manager_notes")
    assert notes is not None
    assert (notes.visibility, notes.strategy) == (Visibility.INTERNAL_ONLY, Strategy.HIDE)
    assert rules.rule_for("title") is None


def test_reveal_stage_defaults_and_can_only_be_delayed():
    assert FieldRule(field="a", visibility="public").reveal_stage is Stage.DISCOVERY
    assert (
        FieldRule(field="a", visibility="post_conversation_start").reveal_stage is Stage.CONVERSATION_STARTED
    )
    late = FieldRule(field="a", visibility="post_match", reveal_stage=Stage.CONVERSATION_STARTED)
    assert late.reveal_stage is Stage.CONVERSATION_STARTED
    with pytest.raises(ValidationError, match="cannot be revealed before"):
        FieldRule(field="a", visibility="post_match", reveal_stage=Stage.CANDIDATE_INTERESTED)
    with pytest.raises(ValidationError, match="never revealed"):
        FieldRule(field="a", visibility="hidden_used_for_matching", reveal_stage=Stage.CONVERSATION_STARTED)
    assert FieldRule(field="a", visibility="internal_only").reveal_stage is None


def test_one_rule_per_field():
    rule = FieldRule(field="company", visibility="post_match")
    with pytest.raises(ValidationError, match="more than one rule for company"):
        RuleSet(rules=(rule, rule))
    replaced = RuleSet(rules=(rule,)).with_rule(FieldRule(field="company", visibility="public"))
    assert [r.visibility for r in replaced.rules] == [Visibility.PUBLIC]


def test_seed_staged_reveal_walkthrough():
    rules = default_rules("p-7")
    seen = {stage: redact(POSTING, rules, stage)[0] for stage in Stage}
    # Viewing the match and saying "interested" show the masked minimum and the generic label.
    for stage in (Stage.DISCOVERY, Stage.CANDIDATE_INTERESTED):
        assert seen[stage]["salary_min"] == "XX,XXX"
        assert seen[stage]["salary_max"] == "Competitive salary"
    # Mutual interest reveals the minimum; the maximum is never shown.
    for stage in (Stage.MUTUAL_INTEREST, Stage.CONVERSATION_STARTED):
        assert seen[stage]["salary_min"] == 62000
        assert seen[stage]["salary_max"] == "Competitive salary"
    assert all("hiring_manager_notes" not in view for view in seen.values())
    # The description quoted the hidden maximum as "91k": scrubbed in every view.
    assert (
        seen[Stage.CONVERSATION_STARTED]["description"]
        == "Northwind pays up to Competitive salary for this role."
    )


def test_one_access_per_sensitive_field_read():
    rules = default_rules("p-7")
    _, accesses = redact(POSTING, rules, Stage.MUTUAL_INTEREST, purpose="api")
    assert sorted(a.field for a in accesses) == ["hiring_manager_notes", "salary_max", "salary_min"]
    by_field = {a.field: a for a in accesses}
    assert by_field["salary_min"].revealed and by_field["salary_min"].strategy is None
    assert by_field["salary_min"].reason == "stage_reached"
    assert by_field["salary_max"].strategy is Strategy.GENERIC_LABEL
    assert by_field["salary_max"].reason == "never_shown"
    assert by_field["hiring_manager_notes"].reason == "internal_only"
    assert {a.purpose for a in accesses} == {"api"}
    assert {a.posting_id for a in accesses} == {"p-7"}
    assert {a.stage for a in accesses} == {Stage.MUTUAL_INTEREST}
    # A field missing from the posting is not read, so it is not logged.
    _, fewer = redact({"title": "x", "salary_max": 1}, rules, Stage.DISCOVERY)
    assert [a.field for a in fewer] == ["salary_max"]


def test_internal_only_is_omitted_whatever_the_strategy_and_kept_out_of_scoring():
    rules = RuleSet(
        rules=(
            FieldRule(
                field="requisition_code", visibility="internal_only", strategy="generic_label", label="x"
            ),
            FieldRule(field="strategic_context", visibility="hidden_used_for_matching", strategy="hide"),
        )
    )
    posting = {"requisition_code": "REQ-0042", "strategic_context": "replacing a departed lead", "title": "t"}
    view, accesses = redact(posting, rules, Stage.CONVERSATION_STARTED)
    assert view == {"title": "t"}
    assert {a.strategy for a in accesses} == {Strategy.HIDE}
    assert scoring_view(posting, rules) == {"strategic_context": "replacing a departed lead", "title": "t"}
    assert scoring_view(posting) == posting


def test_mask_keeps_shape_only():
    assert masked(50000) == "XX,XXX"
    assert masked(85000.5) == "XX,XXX.X"
    assert masked(85000.0) == "XX,XXX"
    assert masked("Acme Corp.") == "XXXX XXXX."
    assert masked(["a"], "Benefits on request") == "Benefits on request"
    assert masked(True) == REDACTED


def test_conditional_rule_can_only_hold_a_field_back():
    rule = FieldRule(
        field="salary_min", visibility="post_match", strategy="generic_label", show_if_score_above=0.8
    )
    rules = RuleSet(rules=(rule,))
    posting = {"salary_min": 70000}
    assert redact(posting, rules, Stage.MUTUAL_INTEREST, match_score=0.81)[0] == posting
    for score in (0.8, None):
        view, (access,) = redact(posting, rules, Stage.MUTUAL_INTEREST, match_score=score)
        assert view == {"salary_min": REDACTED}
        assert access.reason == "condition_not_met"
    # A high score does not bring the stage forward.
    assert redact(posting, rules, Stage.DISCOVERY, match_score=0.99)[0] == {"salary_min": REDACTED}


@pytest.mark.parametrize(
    "spelling",
    ["91000", "91,000", "91 000", "91.000", "$91,000.00", "91k", "91 K", "91\u202f000", "91000.0"],
)
def test_explanations_lose_every_spelling_of_a_hidden_number(spelling):
    text = f"Your target fits the budget of {spelling}."
    out = redact_text(text, POSTING, default_rules(), Stage.CONVERSATION_STARTED)
    assert out.replace("$", "") == "Your target fits the budget of Competitive salary."


def test_explanations_keep_longer_numbers_and_visible_values():
    text = "Budget 191000 or 910000; minimum 62,000 at Northwind."
    assert redact_text(text, POSTING, default_rules(), Stage.MUTUAL_INTEREST) == text
    before = redact_text(text, POSTING, default_rules(), Stage.DISCOVERY)
    assert before == "Budget 191000 or 910000; minimum XX,XXX at Northwind."


def test_anonymised_company_is_scrubbed_from_other_fields_and_text():
    rules = default_rules().with_rule(
        FieldRule(
            field="company",
            visibility="post_conversation_start",
            strategy="generic_label",
            label="A fintech scale-up",
        )
    )
    view, _ = redact(POSTING, rules, Stage.MUTUAL_INTEREST)
    assert view["company"] == "A fintech scale-up"
    assert view["description"] == "A fintech scale-up pays up to Competitive salary for this role."
    text = "NORTHWIND values your Go experience"
    assert (
        redact_text(text, POSTING, rules, Stage.MUTUAL_INTEREST)
        == "A fintech scale-up values your Go experience"
    )
    assert redact_text(text, POSTING, rules, Stage.CONVERSATION_STARTED) == text


def test_a_label_that_spells_a_secret_is_blanked():
    rules = RuleSet(
        rules=(
            FieldRule(
                field="salary_max",
                visibility="hidden_used_for_matching",
                strategy="generic_label",
                label="Up to 90,000",
            ),
        )
    )
    view, _ = redact({"salary_max": 90000}, rules, Stage.DISCOVERY)
    assert view == {"salary_max": "Up to ***"}
    assert redact_text("max 90k", {"salary_max": 90000}, rules, Stage.DISCOVERY) == "max Up to ***"


def test_multiword_secret_matches_across_whitespace_and_case():
    rules = RuleSet(rules=(FieldRule(field="company", visibility="post_match", strategy="mask"),))
    posting = {"company": "Blue  Harbor Labs"}
    assert (
        redact_text("At blue harbor\nLABS you", posting, rules, Stage.DISCOVERY) == "At XXXX  XXXXXX XXXX you"
    )


def test_nested_values_are_redacted_leaf_by_leaf():
    rules = RuleSet(rules=(FieldRule(field="perks", visibility="post_match", strategy="hide"),))
    posting = {"perks": ["equity", {"bonus": 12000}], "summary": "equity and a 12,000 bonus"}
    view, _ = redact(posting, rules, Stage.DISCOVERY)
    assert view == {"summary": f"{REDACTED} and a {REDACTED} bonus"}
