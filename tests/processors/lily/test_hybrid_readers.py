"""hybrid-1's readers on their own (no linker): each reads a kind of phrasing rules-1 misses."""

from __future__ import annotations

import pytest

from processors.lily.wide_durations import find_wide_durations, is_period


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("A dozen years of tax work", 12, "years"), ("half a dozen months on a ward", 6, "months")],
)
def test_dozens_are_durations(text: str, value: float, unit: str) -> None:
    (d,) = find_wide_durations(text)
    assert (d.value, d.unit, d.op) == (value, unit, "==")


@pytest.mark.parametrize(
    ("text", "after_outcome"),
    [
        ("Billed $420K a year in retainers", False),
        ("Raised £2M a year in grants", False),
        ("Top seller three years running", False),
        ("Hit target four years in a row", False),
        ("No missed deadlines over 2 years as lead", True),
    ],
)
def test_rates_streaks_and_spans_are_no_experience(text: str, after_outcome: bool) -> None:
    (d,) = find_wide_durations(text)
    assert is_period(text, d, after_outcome)


@pytest.mark.parametrize(
    "text",
    ["Over 3 years of nursing", "Two years running a bakery", "4 years as a welder", "A year of Python"],
)
def test_durations_of_experience_stay(text: str) -> None:
    (d,) = find_wide_durations(text)
    assert not is_period(text, d, after_outcome=True)
