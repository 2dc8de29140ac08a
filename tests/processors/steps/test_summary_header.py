"""The header sentence repeats only fields that say something (found by hypothesis)."""

from __future__ import annotations

from processors.steps import summary
from processors.steps.models import ImproveInput


def test_a_field_without_letters_or_digits_is_left_out_and_the_summary_stays_grounded() -> None:
    inp = ImproveInput(
        title="",
        company="Requirements:? \u00bf",
        description="",
        location="\u200b",
        summary="",
        reasons=["x"],
    )
    out = summary.IMPROVE_SUMMARY.rules(inp, "rules-1")  # type: ignore[misc]
    assert "\u200b" not in out.summary
    assert summary.IMPROVE_SUMMARY.check(inp, out) == []
