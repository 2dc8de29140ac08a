"""Sensitive posting fields (seed 002 §6): visibility levels, redaction strategies, staged reveal.

An organisation marks posting fields as sensitive: they still feed matching but a candidate
sees them only from a given stage of the match on, or never. A field without a rule is
public (seed: "no rule = public").
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Visibility(StrEnum):
    """Seed 002 §6.2. Only `internal_only` is kept out of matching as well as out of sight."""

    PUBLIC = "public"
    POST_MATCH = "post_match"
    POST_CONVERSATION_START = "post_conversation_start"
    HIDDEN_USED_FOR_MATCHING = "hidden_used_for_matching"
    INTERNAL_ONLY = "internal_only"


class Strategy(StrEnum):
    """Seed 002 §6.3: what a candidate sees while a field is not yet visible."""

    HIDE = "hide"  # the field is omitted
    MASK = "mask"  # shape kept, content blanked: 85000 -> "XX,XXX"
    GENERIC_LABEL = "generic_label"  # a fixed text such as "Competitive salary"


class Stage(IntEnum):
    """Where a match stands, in order (seed 002 §6.7 staged reveal).

    Ordered so that "visible from stage S on" is a comparison: the candidate views the
    match, says they are interested, the organisation reciprocates (mutual interest), then
    a conversation is created.
    """

    DISCOVERY = 0
    CANDIDATE_INTERESTED = 1
    MUTUAL_INTEREST = 2
    CONVERSATION_STARTED = 3


# The earliest stage each level may reveal at; None: never shown to a candidate.
EARLIEST_STAGE: dict[Visibility, Stage | None] = {
    Visibility.PUBLIC: Stage.DISCOVERY,
    Visibility.POST_MATCH: Stage.MUTUAL_INTEREST,
    Visibility.POST_CONVERSATION_START: Stage.CONVERSATION_STARTED,
    Visibility.HIDDEN_USED_FOR_MATCHING: None,
    Visibility.INTERNAL_ONLY: None,
}

REDACTED = "[Redacted]"  # seed's fallback when a rule has no label


class FieldRule(BaseModel):
    """How one posting field is shown (seed 002 §6.4 `assignment_field_visibility`).

    `reveal_stage` defaults to the level's earliest stage; a rule may delay it (reveal a
    post-match field only once a conversation starts) but never bring it forward, and
    the never-shown levels have none. `show_if_score_above` is the seed's conditional rule
    (`show_if: candidate_score > 0.8`): it can only keep a field hidden longer.
    """

    model_config = ConfigDict(frozen=True)

    field: str = Field(min_length=1)
    visibility: Visibility
    strategy: Strategy = Strategy.HIDE
    reveal_stage: Stage | None = None
    label: str | None = None
    category: str | None = None  # seed: compensation / internal / strategic
    show_if_score_above: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_stage(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("reveal_stage") is None and "visibility" in data:
            return {**data, "reveal_stage": EARLIEST_STAGE[Visibility(data["visibility"])]}
        return data

    @model_validator(mode="after")
    def _check_stage(self) -> FieldRule:
        earliest = EARLIEST_STAGE[self.visibility]
        if earliest is None and self.reveal_stage is not None:
            raise ValueError(f"{self.field}: {self.visibility.value} is never revealed, so no reveal_stage")
        if earliest is not None and (self.reveal_stage is None or self.reveal_stage < earliest):
            raise ValueError(
                f"{self.field}: {self.visibility.value} cannot be revealed before {earliest.name.lower()}"
            )
        return self

    @property
    def sensitive(self) -> bool:
        return self.visibility is not Visibility.PUBLIC

    @property
    def used_in_matching(self) -> bool:
        return self.visibility is not Visibility.INTERNAL_ONLY

    def visible_at(self, stage: Stage, match_score: float | None = None) -> bool:
        if self.reveal_stage is None or stage < self.reveal_stage:
            return False
        if self.show_if_score_above is None:
            return True
        # An unknown score never satisfies the condition: hiding is the safe side.
        return match_score is not None and match_score > self.show_if_score_above


class RuleSet(BaseModel):
    """The rules of one posting, at most one per field."""

    model_config = ConfigDict(frozen=True)

    posting_id: str | None = None
    rules: tuple[FieldRule, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        fields = [r.field for r in self.rules]
        dupes = sorted({f for f in fields if fields.count(f) > 1})
        if dupes:
            raise ValueError(f"more than one rule for {', '.join(dupes)}")
        return self

    def rule_for(self, field: str) -> FieldRule | None:
        for rule in self.rules:
            if rule.field == field:
                return rule
        return None

    def with_rule(self, rule: FieldRule) -> RuleSet:
        """A copy with `rule` replacing any rule for the same field."""
        kept = tuple(r for r in self.rules if r.field != rule.field)
        return RuleSet(posting_id=self.posting_id, rules=(*kept, rule))


class Access(BaseModel):
    """One read of a sensitive field, for the audit trail (seed 002 §6.8).

    The caller turns each into an event and adds who asked and when; the domain only
    says what was decided. `strategy` is what was applied, None when the value was shown.
    """

    model_config = ConfigDict(frozen=True)

    posting_id: str | None
    field: str
    stage: Stage
    visibility: Visibility
    strategy: Strategy | None
    revealed: bool
    purpose: str
    reason: str


def default_rules(posting_id: str | None = None) -> RuleSet:
    """The rules a new posting gets (seed 002 §6.5 auto-population).

    The seed's `comp_max` / `comp_min` are this project's `salary_max` / `salary_min`. The
    requisition code and strategic context come from the seed's list of typical
    sensitive fields (§6.1); every other field stays public.
    """
    return RuleSet(
        posting_id=posting_id,
        rules=(
            FieldRule(
                field="salary_max",
                visibility=Visibility.HIDDEN_USED_FOR_MATCHING,
                strategy=Strategy.GENERIC_LABEL,
                label="Competitive salary",
                category="compensation",
            ),
            FieldRule(
                field="salary_min",
                visibility=Visibility.POST_MATCH,
                strategy=Strategy.MASK,
                label="Salary range available after mutual interest",
                category="compensation",
            ),
            FieldRule(
                field="hiring_manager_notes",
                visibility=Visibility.INTERNAL_ONLY,
                strategy=Strategy.HIDE,
                category="internal",
            ),
            FieldRule(
                field="requisition_code",
                visibility=Visibility.INTERNAL_ONLY,
                strategy=Strategy.HIDE,
                category="internal",
            ),
            FieldRule(
                field="strategic_context",
                visibility=Visibility.HIDDEN_USED_FOR_MATCHING,
                strategy=Strategy.GENERIC_LABEL,
                label="Confidential context",
                category="strategic",
            ),
        ),
    )
