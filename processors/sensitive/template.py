"""Explanations that are safe to publish, and the viewer's text made from them on read.

A match event is consumed by downstream products that have no stage and no role, so what it
carries must hold no value of a field above `public`, in any spelling (issue 13). `publish`
replaces each such value with a marker naming its field (`⟦salary_min⟧`); `render` turns the
markers back into text for one viewer: the value (formatted) from its stage on, its redacted
form before. The values themselves stay in the posting projection, so replay, trace and a
later reveal keep working without the log ever holding them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from processors.sensitive.model import REDACTED, RuleSet, Stage
from processors.sensitive.redact import leaves, redact_text, spelling_length, text_form, value_pattern

_MARKER = re.compile(r"⟦([A-Za-z_][A-Za-z0-9_.]*)⟧")


def marker(field: str) -> str:
    return f"⟦{field}⟧"


def publish(value: Any, posting: Mapping[str, Any], rules: RuleSet) -> Any:
    """`value` (a JSON-like tree) with every sensitive field's value replaced by its marker.

    Strings are rewritten in place; a key named after a sensitive field keeps only the marker,
    whatever its value was (a number under `salary_max` is the value itself), and so does a
    number equal to a sensitive number wherever it sits."""
    combined = _combined(posting, rules)
    sensitive = {r.field for r in rules.rules if r.sensitive}
    numbers: dict[float, str] = {}
    for field in sensitive:
        for leaf in leaves(posting.get(field)):
            if not isinstance(leaf, str):
                numbers[float(leaf)] = field
    return _walk(value, _Secrets(combined, sensitive, numbers))


def render(
    value: Any,
    posting: Mapping[str, Any],
    rules: RuleSet,
    stage: Stage,
    *,
    match_score: float | None = None,
    full: bool = False,
) -> Any:
    """Markers in `value` made into what this viewer may read at `stage`; with `full` (an
    auditor, the posting's own employer) every value is shown. Anything not shown is scrubbed
    again, so an event published before markers existed cannot leak either."""
    if isinstance(value, str):
        text = _MARKER.sub(lambda m: _fill(m.group(1), posting, rules, stage, match_score, full), value)
        return text if full else redact_text(text, posting, rules, stage, match_score=match_score)
    if isinstance(value, list):
        return [render(v, posting, rules, stage, match_score=match_score, full=full) for v in value]
    if isinstance(value, dict):
        return {
            k: render(v, posting, rules, stage, match_score=match_score, full=full) for k, v in value.items()
        }
    return value


def _fill(
    field: str, posting: Mapping[str, Any], rules: RuleSet, stage: Stage, score: float | None, full: bool
) -> str:
    rule = rules.rule_for(field)
    value = posting.get(field)
    if rule is None or value is None:
        return REDACTED
    if full or rule.visible_at(stage, score):
        return _spelled(value)
    return text_form(rule, value)


def _spelled(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _combined(posting: Mapping[str, Any], rules: RuleSet) -> re.Pattern[str] | None:
    # One alternation, longest spelling first, applied in one pass: replacing secrets one after
    # another could match a shorter secret inside a marker written a moment before.
    found: list[tuple[int, str, str]] = []
    for field, value in posting.items():
        rule = rules.rule_for(field)
        if rule is None or not rule.sensitive:
            continue
        for leaf in leaves(value):
            pattern = value_pattern(leaf)
            if pattern is not None:
                found.append((spelling_length(leaf), field, _scoped(pattern)))
    if not found:
        return None
    found.sort(key=lambda f: -f[0])
    return re.compile("|".join(f"(?P<{_group(i, field)}>{p})" for i, (_, field, p) in enumerate(found)))


def _scoped(pattern: re.Pattern[str]) -> str:
    return f"(?i:{pattern.pattern})" if pattern.flags & re.IGNORECASE else pattern.pattern


def _group(i: int, field: str) -> str:
    return f"f{i}__{re.sub(r'[^A-Za-z0-9_]', '_', field)}"


@dataclass(frozen=True)
class _Secrets:
    combined: re.Pattern[str] | None
    fields: set[str]
    numbers: dict[float, str]


def _walk(value: Any, secrets: _Secrets) -> Any:
    if isinstance(value, str):
        if secrets.combined is None:
            return value
        return secrets.combined.sub(lambda m: marker(_field_of(m)), value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        field = secrets.numbers.get(float(value))
        return value if field is None else marker(field)
    if isinstance(value, list):
        return [_walk(v, secrets) for v in value]
    if isinstance(value, dict):
        return {
            k: marker(k) if k in secrets.fields and v is not None else _walk(v, secrets)
            for k, v in value.items()
        }
    return value


def _field_of(match: re.Match[str]) -> str:
    group = match.lastgroup or ""
    return group.split("__", 1)[1] if "__" in group else group
