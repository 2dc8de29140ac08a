"""Deterministic synthetic profiles and derived postings for `infra.bench_scoring`.

Skills come from the taxonomy the scorer uses: each profile and posting has a home area
(an L2 category with enough hard skills), draws most of its skills there, some from the
same domain and a few from anywhere, so exact matches, adjacency credit and misses all
occur. Non-negotiables, locations, salaries and work models are spread so that some pairs
are blocked for each reason the filter knows. The same seed always gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from processors.scoring.models import DerivedPosting, Profile
from processors.taxonomy.model import Skill, Taxonomy

# city, country, lat, lon, timezone, currency, typical mid salary
CITIES: tuple[tuple[str, str, float, float, str, str, int], ...] = (
    ("London", "UK", 51.51, -0.13, "Europe/London", "GBP", 60000),
    ("Manchester", "UK", 53.48, -2.24, "Europe/London", "GBP", 48000),
    ("Leeds", "UK", 53.80, -1.55, "Europe/London", "GBP", 45000),
    ("Berlin", "Germany", 52.52, 13.40, "Europe/Berlin", "EUR", 62000),
    ("Munich", "Germany", 48.14, 11.58, "Europe/Berlin", "EUR", 68000),
    ("Amsterdam", "Netherlands", 52.37, 4.90, "Europe/Amsterdam", "EUR", 60000),
    ("Stockholm", "Sweden", 59.33, 18.07, "Europe/Stockholm", "EUR", 58000),
    ("New York", "USA", 40.71, -74.01, "America/New_York", "USD", 110000),
    ("Austin", "USA", 30.27, -97.74, "America/Chicago", "USD", 95000),
    ("San Francisco", "USA", 37.77, -122.42, "America/Los_Angeles", "USD", 130000),
    ("Toronto", "Canada", 43.65, -79.38, "America/Toronto", "USD", 85000),
    ("Bangalore", "India", 12.97, 77.59, "Asia/Kolkata", "USD", 30000),
    ("Singapore", "Singapore", 1.35, 103.82, "Asia/Singapore", "USD", 80000),
    ("Sydney", "Australia", -33.87, 151.21, "Australia/Sydney", "USD", 90000),
)
INDUSTRIES = (
    "Software",
    "Finance",
    "Healthcare",
    "Retail",
    "Manufacturing",
    "Education",
    "Gambling",
    "Tobacco",
    "Defence",
    "Logistics",
    "Media",
    "Public Sector",
)
COMPANIES = ("Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Acme", "Wonka")
SENIORITY = ("Junior", "", "", "Senior", "Senior", "Lead", "Head of")
# Role nouns per domain (L1); the area's name is put in front for variety.
ROLES = {
    "01": ("Software Engineer", "Developer", "Engineer", "Architect", "Analyst"),
    "02": ("Designer", "Producer", "Creative Lead", "Editor"),
    "03": ("Manager", "Consultant", "Analyst", "Coordinator", "Director"),
    "04": ("Trainer", "Coordinator", "Support Worker", "Specialist"),
    "05": ("Analyst", "Researcher", "Scientist", "Data Analyst"),
    "06": ("Technician", "Specialist", "Officer", "Nurse", "Engineer"),
}
PROFICIENCIES = ("Learning", "Familiar", "Proficient", "Proficient", "Expert")
COMPETENCIES = ("C1", "C2", "C3", "C4", "C5")
LANGUAGES = ("English", "German", "Dutch", "Swedish", "French", "Spanish", "Hindi")
LEVELS = ("A2", "B1", "B2", "C1", "C2", "native")
BENEFITS = ("pension", "health_insurance", "remote_stipend", "equity", "learning_budget", "gym", "childcare")
MIN_AREA = 6  # an L2 area needs this many hard skills to be a home area


@dataclass(frozen=True)
class Pool:
    areas: list[tuple[str, str]]  # (L2 code, L2 name)
    hard_by_area: dict[str, list[Skill]]
    hard_by_domain: dict[str, list[Skill]]
    hard: list[Skill]
    soft: list[Skill]


def pool_of(taxonomy: Taxonomy) -> Pool:
    skills = sorted(taxonomy.skills.values(), key=lambda s: s.code)
    hard = [s for s in skills if s.kind == "hard"]
    by_area: dict[str, list[Skill]] = {}
    by_domain: dict[str, list[Skill]] = {}
    for s in hard:
        by_area.setdefault(s.code[:5], []).append(s)
        by_domain.setdefault(s.code[:2], []).append(s)
    names = {c.code: c.name for c in taxonomy.categories.values()}
    areas = [(code, names.get(code, code)) for code, ss in sorted(by_area.items()) if len(ss) >= MIN_AREA]
    soft = [s for s in skills if s.kind == "soft"]
    return Pool(areas, by_area, by_domain, hard, soft)


def _draw(rng: random.Random, pool: Pool, area: str, n: int) -> list[Skill]:
    """n distinct hard skills: about 70% from the area, 20% from its domain, 10% anywhere."""
    out: dict[str, Skill] = {}
    while len(out) < n:
        r = rng.random()
        source = (
            pool.hard_by_area[area] if r < 0.7 else pool.hard_by_domain[area[:2]] if r < 0.9 else pool.hard
        )
        s = rng.choice(source)
        out.setdefault(s.code, s)
    return list(out.values())


def _title(rng: random.Random, area: tuple[str, str], seniority: str | None = None) -> str:
    level = rng.choice(SENIORITY) if seniority is None else seniority
    role = rng.choice(ROLES.get(area[0][:2], ("Specialist",)))
    subject = area[1].split(" & ")[0].split(",")[0]
    words = [level, subject, role] if level != "Head of" else ["Head of", subject]
    return " ".join(w for w in words if w)


def _name(rng: random.Random, s: Skill) -> str:
    """Mostly the canonical name; sometimes a synonym, as real text would spell it."""
    return rng.choice(s.synonyms) if s.synonyms and rng.random() < 0.15 else s.name


def _bitmap(rng: random.Random, start: int, end: int, days: int) -> str:
    day = "".join("1" if start * 2 <= h < end * 2 else "0" for h in range(48))
    week = [day if d < days else "0" * 48 for d in range(7)]
    if rng.random() < 0.3:  # an evening off somewhere
        d = rng.randrange(days)
        week[d] = day[:34] + "0" * 14
    return "".join(week)


def profile(rng: random.Random, pool: Pool, n: int) -> Profile:
    area = rng.choice(pool.areas)
    city = rng.choice(CITIES)
    years = round(rng.choice((0.5, 1, 2, 3, 4, 5, 7, 9, 12, 15, 20)) * rng.uniform(0.8, 1.2), 1)
    n_skills = rng.randint(5, 15)
    n_soft = min(rng.randint(1, 3), n_skills - 4)
    skills: list[dict[str, Any]] = []
    for s in _draw(rng, pool, area[0], n_skills - n_soft):
        entry: dict[str, Any] = {"name": _name(rng, s), "type": "Hard"}
        if rng.random() < 0.8:
            entry["proficiency"] = rng.choice(PROFICIENCIES)
        elif rng.random() < 0.7:
            entry["competency"] = rng.choice(COMPETENCIES)
        if rng.random() < 0.6:
            entry["last_used"] = rng.choice(
                ("present", f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}")
            )
        if rng.random() < 0.4:
            entry["evidence"] = round(rng.random(), 2) if rng.random() < 0.5 else ["link"] * rng.randint(1, 3)
        skills.append(entry)
    for s in rng.sample(pool.soft, n_soft):
        skills.append({"name": s.name, "type": "Soft"})
    hard_names = [s["name"] for s in skills if s["type"] == "Hard"]
    other = rng.choice(pool.areas)
    nn: dict[str, Any] = {
        "remote_preference": rng.choices(("Remote Only", "Hybrid OK", "Onsite OK"), (1, 3, 6))[0]
    }
    mid = city[6] * (0.7 + min(years, 15) * 0.04)
    if rng.random() < 0.5:
        nn["minimum_base_salary"] = round(mid * rng.uniform(0.7, 1.0), -3)
    if rng.random() < 0.3:
        nn["commutable_cities"] = [city[0], *(c[0] for c in rng.sample(CITIES, 2))]
    nn["visa_sponsorship_required"] = rng.random() < 0.1
    if rng.random() < 0.25:
        nn["industry_exclusions"] = rng.sample(INDUSTRIES[6:9], rng.randint(1, 2))
    if rng.random() < 0.05:
        nn["custom"] = [{"name": "not Acme", "field": "company", "op": "!=", "value": "Acme"}]
    doc: dict[str, Any] = {
        "id": f"profile-{n:05d}",
        "current_role": _title(rng, area),
        "years_experience": years,
        "skills": skills,
        "work_history": [
            {"job_title": _title(rng, area), "company": rng.choice(COMPANIES)}
            for _ in range(rng.randint(0, 3))
        ],
        "non_negotiables": nn,
        "growth_targets": {
            "target_roles": [_title(rng, rng.choice((area, other)), "Senior")],
            "target_skills": [s.name for s in rng.sample(pool.hard_by_area[other[0]], 2)],
        },
        "location": {
            "city": city[0],
            "country": city[1],
            "lat": city[2],
            "lon": city[3],
            "timezone": city[4],
        },
        "compensation": {"target": round(mid, -3), "currency": city[5]},
        "languages": [{"name": "English", "level": rng.choice(LEVELS[3:])}]
        + ([{"name": rng.choice(LANGUAGES[1:]), "level": rng.choice(LEVELS)}] if rng.random() < 0.5 else []),
        "work_authorization": [city[1]],
        "benefits": [
            {"code": b, "importance": rng.choice(("required", "preferred", "nice_to_have"))}
            for b in rng.sample(BENEFITS, rng.randint(0, 3))
        ],
        "atoms": [{"skill": name, "years": float(rng.randint(1, 8))} for name in rng.sample(hard_names, 2)]
        if rng.random() < 0.3
        else [],
        "career_change_mode": rng.random() < 0.05,
    }
    if rng.random() < 0.5:
        doc["availability"] = _bitmap(
            rng, rng.choice((7, 8, 9)), rng.choice((16, 17, 18)), rng.choice((5, 5, 4))
        )
    return Profile.model_validate(doc)


def posting(rng: random.Random, pool: Pool, n: int) -> DerivedPosting:
    area = rng.choice(pool.areas)
    city = rng.choice(CITIES)
    seniority = rng.choice(SENIORITY)
    lo = {"Junior": 0, "": 2, "Senior": 5, "Lead": 7, "Head of": 10}[seniority] + rng.choice((0, 0, 1))
    n_skills = rng.randint(4, 12)
    n_soft = rng.randint(0, min(3, n_skills - 4))
    extracted: list[dict[str, Any]] = []
    for s in _draw(rng, pool, area[0], n_skills - n_soft):
        entry: dict[str, Any] = {"name": _name(rng, s), "type": "Hard", "is_required": rng.random() < 0.65}
        if rng.random() < 0.4:
            entry["years_experience"] = float(rng.randint(1, max(2, lo + 1)))
        extracted.append(entry)
    for s in rng.sample(pool.soft, n_soft):
        extracted.append({"name": s.name, "type": "Soft", "is_required": rng.random() < 0.5})
    mid = city[6] * (0.8 + lo * 0.06)
    doc: dict[str, Any] = {
        "id": f"posting-{n:05d}",
        "title": _title(rng, area, seniority),
        "company": rng.choice(COMPANIES),
        "company_industry": rng.choice(INDUSTRIES) if rng.random() < 0.9 else None,
        "work_model": rng.choice(("Remote", "Hybrid", "Hybrid", "Onsite", "Onsite", None)),
        "location": f"{city[0]}, {city[1]}",
        "lat": city[2],
        "lon": city[3],
        "timezone": city[4],
        "extracted_skills": extracted,
        "visa_sponsorship": rng.choice((True, False, None)),
        "languages_required": [{"name": "English", "level": rng.choice(("B2", "C1"))}]
        + ([{"name": rng.choice(LANGUAGES[1:]), "level": "B1"}] if rng.random() < 0.1 else []),
        "benefits_offered": rng.sample(BENEFITS, rng.randint(0, 4)),
    }
    if rng.random() < 0.7:
        doc |= {"salary_min": round(mid * 0.85, -3), "salary_max": round(mid * 1.15, -3), "currency": city[5]}
    if rng.random() < 0.85:
        doc["years_experience_min"] = float(lo)
        if rng.random() < 0.6:
            doc["years_experience_max"] = float(lo + rng.randint(2, 6))
    if rng.random() < 0.2:
        doc["required_availability"] = _bitmap(rng, 9, 17, 5)
    if rng.random() < 0.1:
        doc["ghost_score"] = float(rng.randint(0, 100))
    return DerivedPosting.model_validate(doc)


def generate(
    n_profiles: int, n_postings: int, taxonomy: Taxonomy, seed: int
) -> tuple[list[Profile], list[DerivedPosting]]:
    rng = random.Random(seed)
    pool = pool_of(taxonomy)
    profiles = [profile(rng, pool, i) for i in range(n_profiles)]
    postings = [posting(rng, pool, j) for j in range(n_postings)]
    return profiles, postings
