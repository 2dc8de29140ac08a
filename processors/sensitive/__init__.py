"""Sensitive posting fields (seed 002 §6): used in scoring, shown only from their stage on."""

from processors.sensitive.model import (
    EARLIEST_STAGE,
    REDACTED,
    Access,
    FieldRule,
    RuleSet,
    Stage,
    Strategy,
    Visibility,
    default_rules,
)
from processors.sensitive.redact import masked, redact, redact_text, scoring_view

__all__ = [
    "EARLIEST_STAGE",
    "REDACTED",
    "Access",
    "FieldRule",
    "RuleSet",
    "Stage",
    "Strategy",
    "Visibility",
    "default_rules",
    "masked",
    "redact",
    "redact_text",
    "scoring_view",
]
