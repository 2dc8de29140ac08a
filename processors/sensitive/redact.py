"""Apply a posting's visibility rules: what a candidate sees, what an explanation may say.

Scoring reads the raw posting (`scoring_view`); anything shown (`redact`) or written for a
candidate (`redact_text`) goes through here first.

A field that is not yet visible is a *secret*. Secrets are scrubbed from every string a
candidate gets, not only from their own field: a description that names the anonymised
company, or an explanation that quotes the hidden budget, would otherwise leak it. Strings
match case-insensitively anywhere (over-redaction is the safe side), with any run of
whitespace standing for any other; numbers match as whole numbers in the usual spellings
(85000, 85,000, 85 000, 85.000, 85000.00, 85k, 118.5k) and not inside longer digit runs. Booleans
and strings without a letter or digit have no spelling worth scrubbing. When a value is
also the legitimate value of a visible string field, that field is scrubbed too: the
secret wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from processors.sensitive.model import REDACTED, Access, FieldRule, RuleSet, Stage, Strategy, Visibility

# Replaces a secret when its own replacement would spell a secret again: no letters or
# digits, so it can never match a pattern and the scrub loop ends.
_BLANK = "***"
_ALNUM = re.compile(r"[^\W_]")
_THOUSANDS_SEP = r"[,.'\u00a0\u202f ]?"

_Secret = tuple[re.Pattern[str], str]


def scoring_view(posting: Mapping[str, Any], rules: RuleSet | None = None) -> dict[str, Any]:
    """The posting as scoring reads it: raw values, sensitive or not (seed: "used in scoring,
    never shown").

    Only `internal_only` fields are left out: the seed keeps them out of matching too.
    Nothing from this view may reach a candidate; explanations built from it go through
    `redact_text`.
    """
    if rules is None:
        return dict(posting)
    return {
        field: value
        for field, value in posting.items()
        if (rule := rules.rule_for(field)) is None or rule.used_in_matching
    }


def redact(
    posting: Mapping[str, Any],
    rules: RuleSet,
    stage: Stage,
    *,
    match_score: float | None = None,
    purpose: str = "view",
) -> tuple[dict[str, Any], list[Access]]:
    """The posting as a candidate may see it at `stage`, and one `Access` per sensitive field read."""
    secrets = _secrets(posting, rules, stage, match_score)
    view: dict[str, Any] = {}
    accesses: list[Access] = []
    for field, value in posting.items():
        rule = rules.rule_for(field)
        if rule is None or not rule.sensitive:
            view[field] = _scrub_value(value, secrets)
            continue
        visible = rule.visible_at(stage, match_score)
        strategy = None if visible else _strategy(rule)
        accesses.append(
            Access(
                posting_id=rules.posting_id,
                field=field,
                stage=stage,
                visibility=rule.visibility,
                strategy=strategy,
                revealed=visible,
                purpose=purpose,
                reason=_reason(rule, stage, visible),
            )
        )
        if visible:
            view[field] = _scrub_value(value, secrets)
        elif strategy is not Strategy.HIDE:
            # Blanked, not scrubbed: scrubbing would swap a quoted secret for this very label.
            view[field] = _blank_all(_redacted_form(rule, value), [p for p, _ in secrets])
    return view, accesses


def redact_text(
    text: str,
    posting: Mapping[str, Any],
    rules: RuleSet,
    stage: Stage,
    *,
    match_score: float | None = None,
) -> str:
    """`text` with every value of a field not yet visible at `stage` replaced by its redacted form."""
    return _scrub(text, _secrets(posting, rules, stage, match_score))


def masked(value: Any, label: str | None = None) -> str:
    """The `mask` strategy: numbers keep their shape (85000 -> "XX,XXX"), strings their
    letters' positions ("Acme Corp" -> "XXXX XXXX"); anything else falls back to the label."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return label or REDACTED
    if isinstance(value, str):
        return _ALNUM.sub("X", value)
    number = _plain_number(value)
    whole, _, frac = number.partition(".")
    shaped = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return re.sub(r"\d", "X", shaped)


def _strategy(rule: FieldRule) -> Strategy:
    # Internal fields are omitted whatever the rule says: the seed never shows them.
    return Strategy.HIDE if rule.visibility is Visibility.INTERNAL_ONLY else rule.strategy


def _reason(rule: FieldRule, stage: Stage, visible: bool) -> str:
    if visible:
        return "stage_reached"
    if rule.visibility is Visibility.INTERNAL_ONLY:
        return "internal_only"
    if rule.reveal_stage is None:
        return "never_shown"
    if stage < rule.reveal_stage:
        return "before_reveal_stage"
    return "condition_not_met"


def _redacted_form(rule: FieldRule, value: Any) -> str:
    if _strategy(rule) is Strategy.MASK:
        return masked(value, rule.label)
    return rule.label or REDACTED


def value_pattern(leaf: str | int | float) -> re.Pattern[str] | None:
    """Every usual spelling of one value (see the module's doc); None for a string with no
    letter or digit, which has none worth scrubbing."""
    if isinstance(leaf, str):
        if not _ALNUM.search(leaf):
            return None
        words = [re.escape(w) for w in leaf.split()]
        return re.compile(r"\s+".join(words), re.IGNORECASE)
    return _number_pattern(leaf)


def spelling_length(leaf: str | int | float) -> int:
    return len(leaf) if isinstance(leaf, str) else len(_plain_number(leaf))


def leaves(value: Any) -> Iterable[str | int | float]:
    """The strings and numbers inside a value (booleans and None have no spelling)."""
    return _leaves(value)


def text_form(rule: FieldRule, value: Any) -> str:
    """What a secret becomes inside prose: its redacted form, or a neutral marker when hidden."""
    return REDACTED if _strategy(rule) is Strategy.HIDE else _redacted_form(rule, value)


def _secrets(
    posting: Mapping[str, Any], rules: RuleSet, stage: Stage, match_score: float | None
) -> list[_Secret]:
    found: list[tuple[int, str, re.Pattern[str], str]] = []
    for field, value in posting.items():
        rule = rules.rule_for(field)
        if rule is None or not rule.sensitive or rule.visible_at(stage, match_score):
            continue
        for leaf in _leaves(value):
            pattern = value_pattern(leaf)
            if pattern is not None:
                found.append((spelling_length(leaf), str(leaf), pattern, text_form(rule, leaf)))
    # Longest first, so a secret is replaced whole before a shorter one inside it can split it.
    found.sort(key=lambda s: (-s[0], s[1]))
    patterns = [pattern for _, _, pattern, _ in found]
    # A label may quote a secret ("Up to 90,000"): blank it inside the label first.
    return [(pattern, _blank_all(replacement, patterns)) for _, _, pattern, replacement in found]


def _blank_all(text: str, patterns: list[re.Pattern[str]]) -> str:
    # Each round removes letters or digits and _BLANK has none, so this ends.
    while (hit := next((p for p in patterns if p.search(text)), None)) is not None:
        text = hit.sub(_BLANK, text)
    return text


def _scrub(text: str, secrets: list[_Secret]) -> str:
    if not secrets:
        return text
    for pattern, replacement in secrets:
        text = pattern.sub(_constant(replacement), text)
    # A replacement (a mask of X's) may still join with its neighbours into a secret.
    return _blank_all(text, [p for p, _ in secrets])


def _constant(replacement: str) -> Callable[[re.Match[str]], str]:
    # A function, not a template: labels may hold backslashes or "\\g<...>".
    return lambda _match: replacement


def _scrub_value(value: Any, secrets: list[_Secret]) -> Any:
    if not secrets:
        return value
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, Mapping):
        return {k: _scrub_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub_value(v, secrets) for v in value)
    return value


def _leaves(value: Any) -> Iterable[str | int | float]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str | int | float):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _leaves(v)


def _plain_number(value: int | float) -> str:
    """Digits without sign or exponent: 85000.0 -> "85000", 1.5e3 -> "1500", 0.25 -> "0.25"."""
    if isinstance(value, float) and not value.is_integer():
        return f"{abs(value):f}".rstrip("0").rstrip(".")
    return str(abs(int(value)))


def _number_pattern(value: int | float) -> re.Pattern[str]:
    whole, _, frac = _plain_number(value).partition(".")
    groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
    core = _THOUSANDS_SEP.join(groups)
    spellings = [core + (r"[.,]" + frac if frac else r"(?:[.,]0+)?")]
    number = int(whole)
    if not frac and number >= 1000:
        # 85k, and 118.5k / 118,5k for a number that is not whole thousands
        rest = f"{number % 1000:03d}".rstrip("0")
        thousands = f"{number // 1000}" + (rf"[.,]{rest}" if rest else "")
        spellings.append(rf"{thousands}\s?[kK](?![^\W\d_])")
    return re.compile(r"(?<!\d)(?:" + "|".join(spellings) + r")(?!\d)")


def unredacted(
    posting: Mapping[str, Any], rules: RuleSet, stage: Stage, *, reason: str, purpose: str = "view"
) -> tuple[dict[str, Any], list[Access]]:
    """Every value as it is, for a viewer entitled to all of them (an auditor, the posting's own
    employer); each sensitive field read is still an `Access`, revealed, with `reason` saying why."""
    accesses = [
        Access(
            posting_id=rules.posting_id,
            field=field,
            stage=stage,
            visibility=rule.visibility,
            strategy=None,
            revealed=True,
            purpose=purpose,
            reason=reason,
        )
        for field in posting
        if (rule := rules.rule_for(field)) is not None and rule.sensitive
    ]
    return dict(posting), accesses
