"""Seed 002 §5: each practical sub-score with our own numbers, and the hard gates."""

from __future__ import annotations

from datetime import date

import pytest

from processors.scoring.config import baseline
from processors.scoring.models import Language
from processors.scoring.practical import (
    availability_overlap,
    benefits_score,
    compensation_score,
    haversine_km,
    language_score,
    location_score,
    practical_parts,
    timezone_overlap,
    tz_offset_hours,
    work_auth_score,
)

from .helpers import posting, profile, run


def _week(days: range, start_hour: float, end_hour: float) -> str:
    bits = ["0"] * 336
    for d in days:
        for slot in range(int(start_hour * 2), int(end_hour * 2)):
            bits[d * 48 + slot] = "1"
    return "".join(bits)


def test_compensation_sigmoid():
    assert compensation_score(55_000, 50_000, 60_000, 10) == pytest.approx(0.5)
    # mid 70k, (70 - 50) / 70 = 0.2857: the seed prints 0.89 here, the formula gives 0.9457
    assert compensation_score(50_000, 60_000, 80_000, 10) == pytest.approx(0.945687, abs=1e-6)
    assert compensation_score(75_000, 50_000, 60_000, 10) == pytest.approx(0.025672, abs=1e-6)


def test_availability_overlap():
    me = _week(range(5), 9, 17)
    assert me.count("1") == 80
    assert availability_overlap(me, _week(range(5), 10, 16)) == 1.0
    needed = _week(range(6), 10, 16)  # Saturday too: 12 of 72 slots uncovered
    assert availability_overlap(me, needed) == pytest.approx(60 / 72)
    assert availability_overlap(me, "0" * 336) == 1.0


def test_timezone_overlap():
    winter = date(2026, 1, 15)
    ny, sthlm = tz_offset_hours("America/New_York", winter), tz_offset_hours("Europe/Stockholm", winter)
    assert (ny, sthlm) == (-5.0, 1.0)
    assert timezone_overlap(ny, sthlm, 9, 17) == pytest.approx(0.25)
    assert timezone_overlap(-8, 0, 9, 17) == 0.0
    india = tz_offset_hours("UTC+5:30", winter)
    assert india == 5.5
    assert timezone_overlap(india, 0.0, 9, 17) == pytest.approx(2.5 / 8)
    assert tz_offset_hours("Mars/Olympus", winter) is None


def test_location_distance():
    d = haversine_km(0.0, 0.0, 0.0, 0.5)  # half a degree on the equator
    assert d == pytest.approx(55.5975, abs=1e-3)
    assert location_score(d, 30) == pytest.approx(0.426028, abs=1e-6)
    assert location_score(10, 30) == 1.0
    assert location_score(90, 30) == pytest.approx(0.135335, abs=1e-6)


def test_language():
    spoken = [Language(name="English", level="C2"), Language(name="German", level="A2")]
    required = [Language(name="english", level="C1"), Language(name="German", level="B2")]
    score, missing = language_score(spoken, required)
    assert score == 0.5 and missing == ["German B2 (you have A2)"]
    assert language_score(spoken, []) == (1.0, [])


@pytest.mark.parametrize(
    ("needs", "auth", "can", "countries", "expected"),
    [
        (False, [], False, [], (1.0, False)),
        (True, ["SE"], False, [], (0.0, True)),
        (True, ["SE"], True, ["US"], (0.5, False)),
        (True, ["SE"], True, ["SE", "US"], (1.0, False)),
        (True, ["SE"], None, [], (0.5, False)),
    ],
)
def test_work_auth(needs, auth, can, countries, expected):
    assert work_auth_score(needs, auth, can, countries) == expected


def test_benefits_seed_example():
    prefs = [
        ("health_insurance", "required"),
        ("dental_insurance", "required"),
        ("gym_membership", "preferred"),
        ("learning_budget", "preferred"),
    ]
    offered = ["health_insurance", "learning_budget", "stock_options"]
    assert benefits_score(prefs, offered) == pytest.approx(0.5)
    assert benefits_score([("gym", "preferred")], []) == 1.0


def test_total_weights_follow_the_seed_normalised():
    p = profile(compensation={"target": 50_000, "currency": "USD"})
    q = posting(salary_min=60_000, salary_max=80_000, currency="USD")
    parts = practical_parts(p, q, baseline())
    expected = 100 * (25 * 0.945686734 + 20 + 10 + 20 + 15 + 10 + 5) / 105
    assert parts.total == pytest.approx(expected, abs=1e-6)


def test_language_gate_blocks_fit():
    q = posting(languages_required=["Swedish"])
    r = run(profile(languages=["English"]), q)
    assert r.practical.hard_fail and r.fit.total is None and r.fit.label == "blocked"
    assert any("Swedish" in x for x in r.non_negotiables.failed_reasons)
    gate_off = baseline().model_copy(update={"gate_language": False})
    assert run(profile(languages=["English"]), q, gate_off).fit.total is not None


def test_work_auth_gate_blocks_fit():
    p = profile(non_negotiables={"visa_sponsorship_required": True})
    r = run(p, posting(visa_sponsorship=False))
    assert r.fit.total is None and r.practical.components.work_auth == 0.0


def test_onsite_location_from_coordinates():
    p = profile(location={"lat": 0.0, "lon": 0.0})
    q = posting(work_model="Onsite", lat=0.0, lon=0.5)
    assert run(p, q).practical.components.location == pytest.approx(0.426028, abs=1e-6)
    assert run(p, posting(work_model="Remote")).practical.components.location == 1.0
