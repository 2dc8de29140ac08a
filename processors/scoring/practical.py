"""Practical fit (seed 002 §5): seven sub-scores in 0-1, weighted, and the hard gates.

Where the seed is silent on missing data we follow seed 001's "graceful degradation": a
posting that asks nothing scores 1.0 (the seed's own rule for availability and benefits);
a candidate who did not say, or a figure we cannot compare (another currency: no exchange
rates without I/O), scores a neutral 0.5. Unknown sponsorship scores 0.5 and never gates.
Timezone offsets are read at a fixed reference instant (`as_of`, else mid-January) so a
replay gives the same number whatever the clock or daylight-saving season.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from processors.scoring.config import ScoringConfig
from processors.scoring.models import DerivedPosting, Language, Profile
from processors.scoring.nonneg import commutable, money, salary_comparable, work_model

UNKNOWN = 0.5
EARTH_RADIUS_KM = 6371.0088
_CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_REFERENCE_DAY = date(2026, 1, 15)


def compensation_score(target: float, budget_min: float, budget_max: float, k: float) -> float:
    """Sigmoid of how far the budget's midpoint sits above the target, relative to the midpoint."""
    mid = (budget_min + budget_max) / 2
    if mid <= 0:
        return 0.0 if target > 0 else UNKNOWN
    diff_ratio = (mid - target) / mid
    return 1.0 / (1.0 + math.exp(-k * diff_ratio))


def availability_overlap(candidate: str, required: str) -> float:
    needed = required.count("1")
    if needed == 0:
        return 1.0
    both = sum(1 for c, r in zip(candidate, required, strict=True) if c == "1" and r == "1")
    return both / needed


def tz_offset_hours(name: str, when: date) -> float | None:
    """Hours east of UTC for an IANA zone or an offset string ("UTC+1", "-05:30"); None if unknown."""
    m = _OFFSET.match(name.strip())
    if m:
        hours = int(m.group(2)) + int(m.group(3) or 0) / 60
        return hours if m.group(1) == "+" else -hours
    if name.strip().upper() in ("UTC", "GMT", "Z"):
        return 0.0
    try:
        zone = ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offset = datetime(when.year, when.month, when.day, 12, tzinfo=UTC).astimezone(zone).utcoffset()
    return None if offset is None else offset.total_seconds() / 3600


def timezone_overlap(candidate_offset: float, required_offset: float, start: int, end: int) -> float:
    hours = end - start
    return max(0.0, hours - abs(candidate_offset - required_offset)) / hours


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def location_score(distance_km: float, radius_km: float) -> float:
    if distance_km <= radius_km:
        return 1.0
    return math.exp(-(distance_km - radius_km) / radius_km)


def _lang_key(name: str) -> str:
    return " ".join(name.casefold().split())


def spoken(profile: Profile) -> list[Language]:
    """The profile's languages, and the skills it lists that are languages by name ("French"
    among the skills speaks French, at no stated level)."""
    named = {_lang_key(x.name) for x in profile.languages}
    extra = [Language(name=s.name) for s in profile.skills if _lang_key(s.name) not in named]
    return [*profile.languages, *extra]


def language_score(spoken: list[Language], required: list[Language]) -> tuple[float, list[str]]:
    """Share of required languages spoken at the level asked (no level on either side counts as met)."""
    if not required:
        return 1.0, []
    have = {_lang_key(x.name): x.level for x in spoken}
    missing = []
    for req in required:
        key = _lang_key(req.name)
        if key not in have:
            missing.append(req.name)
            continue
        level = have[key]
        if req.level and level and _CEFR.index(level) < _CEFR.index(req.level):
            missing.append(f"{req.name} {req.level} (you have {level})")
    return (len(required) - len(missing)) / len(required), missing


def work_auth_score(
    needs: bool, auth_countries: list[str], can_sponsor: bool | None, sponsor_countries: list[str]
) -> tuple[float, bool]:
    """(score, hard_fail) as seed 002 §5.6; an empty sponsor-country list means no restriction."""
    if not needs:
        return 1.0, False
    if can_sponsor is None:
        return UNKNOWN, False
    if not can_sponsor:
        return 0.0, True
    if sponsor_countries:
        wanted = {c.casefold() for c in sponsor_countries}
        if not any(c.casefold() in wanted for c in auth_countries):
            return 0.5, False
    return 1.0, False


def benefits_score(prefs: list[tuple[str, str]], offered: list[str]) -> float:
    required = [c for c, imp in prefs if imp == "required"]
    preferred = [c for c, imp in prefs if imp == "preferred"]
    if not required:
        return 1.0
    offer = {o.casefold() for o in offered}
    req_met = sum(1 for c in required if c.casefold() in offer)
    pref_met = sum(1 for c in preferred if c.casefold() in offer)
    pref_score = pref_met / len(preferred) if preferred else 1.0
    return 0.8 * (req_met / len(required)) + 0.2 * pref_score


@dataclass(frozen=True)
class PracticalParts:
    components: dict[str, float]
    total: float
    hard_fail_reasons: list[str]


def _compensation(profile: Profile, posting: DerivedPosting, config: ScoringConfig) -> float:
    target = profile.compensation.target
    if target is None:
        return 1.0
    lo, hi = posting.salary_min, posting.salary_max
    if (lo is None and hi is None) or not salary_comparable(profile, posting):
        return UNKNOWN
    lo = lo if lo is not None else hi
    hi = hi if hi is not None else lo
    assert lo is not None and hi is not None
    return compensation_score(target, lo, hi, config.comp_k)


def _timezone(profile: Profile, posting: DerivedPosting, config: ScoringConfig) -> float:
    if work_model(posting) == "Onsite":
        return 1.0
    if not posting.timezone:
        return 1.0
    when = config.as_of or _REFERENCE_DAY
    mine = tz_offset_hours(profile.location.timezone, when) if profile.location.timezone else None
    theirs = tz_offset_hours(posting.timezone, when)
    if mine is None or theirs is None:
        return UNKNOWN
    return timezone_overlap(mine, theirs, *config.work_hours)


def _location(profile: Profile, posting: DerivedPosting, config: ScoringConfig) -> float:
    if work_model(posting) == "Remote":
        return 1.0
    me = profile.location
    if me.lat is not None and me.lon is not None and posting.lat is not None and posting.lon is not None:
        return location_score(
            haversine_km(me.lat, me.lon, posting.lat, posting.lon), config.commute_radius_km
        )
    cities = [c for c in (me.city, *profile.non_negotiables.commutable_cities) if c]
    return 1.0 if cities and commutable(posting.location, cities) else UNKNOWN


def practical_parts(profile: Profile, posting: DerivedPosting, config: ScoringConfig) -> PracticalParts:
    fails: list[str] = []
    if posting.required_availability is None:
        availability = 1.0
    elif profile.availability is None:
        availability = UNKNOWN
    else:
        availability = availability_overlap(profile.availability, posting.required_availability)
    language, missing = language_score(spoken(profile), posting.languages_required)
    if missing and config.gate_language:
        fails.append(f"Required language missing: {', '.join(missing)}")
    work_auth, auth_fail = work_auth_score(
        profile.non_negotiables.visa_sponsorship_required,
        profile.work_authorization,
        posting.visa_sponsorship,
        posting.sponsorship_countries,
    )
    if auth_fail and config.gate_work_auth:
        fails.append("Needs visa sponsorship; the employer does not sponsor")
    minimum = profile.non_negotiables.minimum_base_salary
    if (
        config.gate_compensation
        and minimum is not None
        and posting.salary_max is not None
        and salary_comparable(profile, posting)
        and minimum > posting.salary_max
    ):
        fails.append(f"Your minimum {money(minimum, posting.currency)} exceeds the budget")
    location = _location(profile, posting, config)
    if config.gate_location and location < config.location_gate_floor:
        fails.append("Too far to commute")
    components = {
        "compensation": _compensation(profile, posting, config),
        "availability": availability,
        "timezone": _timezone(profile, posting, config),
        "location": location,
        "language": language,
        "work_auth": work_auth,
        "benefits": benefits_score(
            [(b.code, b.importance) for b in profile.benefits], posting.benefits_offered
        ),
    }
    weights = config.practical_weights
    total = 100 * sum(components[k] * weights[k] for k in components) / sum(weights.values())
    return PracticalParts(components, total, fails)
