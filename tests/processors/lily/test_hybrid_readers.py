"""hybrid-1's readers on their own (no linker): each reads a kind of phrasing rules-1 misses."""

from __future__ import annotations

import pytest

from processors.lily import stakes
from processors.lily.wide_durations import find_wide_durations, is_period
from processors.lily.wide_outcomes import find_wide_outcomes


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


@pytest.mark.parametrize(
    ("text", "category", "value", "unit"),
    [
        ("Reached 3 million weekly listeners", "scale", 3_000_000, "listeners"),
        ("A repo with 12K stars", "scale", 12_000, "stars"),
        ("Hosted 400 guests a night", "scale", 400, "guests"),
        ("Brought onboarding from three weeks to 5 days", "efficiency", 76.2, "% less time"),
        ("Took p99 latency from 900 ms to 90 ms", "efficiency", 90.0, "% less time"),
        ("Grew the clinic roster from 5 to 30 nurses", "growth", 30, None),
    ],
)
def test_wide_outcomes(text: str, category: str, value: float, unit: str | None) -> None:
    (o,) = find_wide_outcomes(text)
    assert (o.category, round(o.value or 0, 1), o.unit) == (category, value, unit)


def test_a_money_figure_with_a_multiplier_is_not_a_count() -> None:
    assert [o.category for o in find_wide_outcomes("Managed $5M budgets")] != ["scale"]


@pytest.mark.parametrize(
    "text",
    [
        "3 years of production experience with Kafka",
        "Ran Redis in production",
        "Client-facing analytics work",
    ],
)
def test_live_systems_are_stakes(text: str) -> None:
    assert stakes.live_systems(text) is not None


def test_a_production_line_or_a_lab_is_no_live_system() -> None:
    assert stakes.live_systems("Production planning skills") is None
    assert stakes.live_systems("Lab work on test rigs") is None


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("Over 6 years in the semiconductor industry", "semiconductor"),
        ("12 years in the chemicals sector", "chemicals"),
        ("Twenty years in commercial aviation", "commercial aviation"),
    ],
)
def test_industries_by_name_or_by_the_word_industry(text: str, industry: str) -> None:
    where = stakes.industry(text)
    assert where is not None and where.text == industry


def test_settings_name_every_kind_of_setting() -> None:
    kinds = {w.text for w in stakes.settings("Built it for clients at a bank in production as a volunteer")}
    assert {"a bank", "for clients", "in production", "as a volunteer"} <= kinds


@pytest.mark.parametrize(
    ("text", "category", "value"),
    [
        ("Took ARR from $3M to $11M", "financial", 11_000_000),
        ("Lifted CSAT from 70 to 88", "quality", 88),
        ("Raised pick accuracy from 95% to 99.5%", "quality", 99.5),
        ("Entered 4 new markets", "growth", 4),
        ("Hired 25 engineers in a year", "growth", 25),
        ("Doubled weekly orders", "growth", 100),
        ("Halved ticket turnaround time", "efficiency", 50),
        ("Passed three FDA inspections with no findings", "compliance", None),
    ],
)
def test_outcomes_read_by_what_the_figure_means(text: str, category: str, value: float | None) -> None:
    o = find_wide_outcomes(text)[0]
    assert (o.category, o.value) == (category, value)


class _NoLinks:
    def link(self, line: str, top: int = 5) -> list[object]:
        return []


@pytest.mark.parametrize("piece", ["$5M a year ", "from 3 to 5 ", "3 years over 4 years in a row "])
def test_the_readers_stay_linear_on_a_long_line(piece: str) -> None:
    import time

    from processors.lily import hybrid_sect, rules
    from processors.taxonomy.store import builtin

    taxonomy = builtin()

    def cost(n: int) -> float:
        text = (piece * (n // len(piece) + 1))[:n]
        stacks = rules.decompose(text, taxonomy, max_chars=None)
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            hybrid_sect.refine(text, stacks, _NoLinks())  # type: ignore[arg-type]
            best = min(best, time.perf_counter() - started)
        return best

    ratio = cost(20_000) / max(cost(2_000), 0.005)
    assert ratio < 25, ratio  # linear gives about 10, quadratic about 100


def test_successful_audits_are_compliance_and_a_single_client_is_client_work() -> None:
    assert [o.category for o in find_wide_outcomes("Led two successful ISO audits")] == ["compliance"]
    assert stakes.client_work("Rolled out CRM for a retail client") is not None
    assert stakes.no_stakes("Ran a lab study on sleep") is not None


def test_running_a_volunteering_programme_is_a_job() -> None:
    assert stakes.no_stakes("Five years managing volunteering programmes at a charity") is None
    assert stakes.no_stakes("Two years of volunteering at a food bank") is not None
