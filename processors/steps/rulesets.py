"""Names of the deterministic rulesets the step tasks implement.

A rules engine names its ruleset like a model; asking for one that does not exist is a
configuration error, reported with the names that do.
"""

from __future__ import annotations

RULES_1 = "rules-1"
KNOWN_RULESETS = (RULES_1,)


def check_ruleset(ruleset: str) -> None:
    if ruleset not in KNOWN_RULESETS:
        raise ValueError(f"unknown ruleset {ruleset!r}; known: {', '.join(KNOWN_RULESETS)}")
