"""Deterministic synthetic job postings for the benchmark, as JSONL bytes.

Every record validates (the benchmark measures the happy path), but the raw values vary the
way real feeds do: salary spellings, currency case, work-model spellings, date formats,
HTML in descriptions, stray whitespace in titles.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

SOURCES = {
    "greenhouse": "gh",
    "lever": "lv",
    "linkedin": "lnk",
    "indeed": "ind",
    "stepstone": "stp",
    "seek": "sk",
    "naukri": "nk",
    "company-site": "cs",
    "workday": "wd",
}
SENIORITY = ["", "Junior ", "Senior ", "Staff ", "Lead ", "Principal ", "Associate ", "Head of "]
ROLES = [
    "Backend Engineer",
    "Frontend Developer",
    "Data Engineer",
    "Data Scientist",
    "Product Manager",
    "Staff Nurse",
    "Electrician",
    "HVAC Technician",
    "Accountant",
    "Customer Support Specialist",
    "Marketing Manager",
    "Sales Representative",
    "Warehouse Operative",
    "Welder",
    "Solicitor",
    "UX Designer",
    "Site Reliability Engineer",
    "Pharmacist",
    "Truck Driver",
    "Chef de Partie",
    "Financial Analyst",
    "Mechanical Engineer",
    "Recruiter",
    "Teacher",
    "Hotel Receptionist",
]
SPECIALTIES = [
    "",
    " (Python)",
    " - Payments",
    " (m/w/d)",
    " \u2013 Night Shift",
    " (Remote, EU)",
    " / Platform",
    " - Spark / Databricks",
    " (H/F)",
    " II",
    " (Contract)",
    " - Acute Medicine",
]
NAME_A = [
    "Bright",
    "Kestrel",
    "Polar",
    "Iron",
    "Merlion",
    "Capi",
    "Tulp",
    "Auen",
    "Fennick",
    "Vayu",
    "Brisa",
    "Corbel",
    "North",
    "Silver",
    "Oak",
    "Harbor",
    "Quartz",
    "Lumen",
]
NAME_B = [
    "loom",
    "vale",
    "ridge",
    "bark",
    "stack",
    "vara",
    "stra",
    "feld",
    "mitra",
    "wave",
    "field",
    "point",
    "works",
    "line",
    "gate",
    "forge",
    "bay",
    "crest",
]
SUFFIX = ["Inc.", "Ltd.", "GmbH", "S.A.", "B.V.", "Pty Ltd", "LLP", "SAS", "Pvt. Ltd.", "LLC", ""]
LOCATIONS = [  # (location, currency, typical salary range)
    ("Austin, TX", "USD", (60_000, 220_000)),
    ("New York, NY", "USD", (55_000, 260_000)),
    ("Leeds, United Kingdom", "GBP", (24_000, 110_000)),
    ("London, UK", "GBP", (28_000, 150_000)),
    ("Köln, DE", "EUR", (32_000, 110_000)),
    ("Lyon, France", "EUR", (28_000, 90_000)),
    ("Amsterdam, Netherlands", "EUR", (32_000, 120_000)),
    ("Valencia, España", "EUR", (18_000, 60_000)),
    ("Calgary, AB, Canada", "CAD", (45_000, 160_000)),
    ("Newcastle NSW, Australia", "AUD", (60_000, 180_000)),
    ("Bengaluru, Karnataka, India", "INR", (400_000, 4_500_000)),
    ("Singapore", "SGD", (40_000, 220_000)),
    ("São Paulo, SP, Brasil", "BRL", (48_000, 300_000)),
    ("Dublin 2, Ireland", "EUR", (30_000, 140_000)),
    ("Remote", "USD", (50_000, 200_000)),
    ("", "EUR", (30_000, 90_000)),
]
WORK_MODELS = [
    "Remote",
    "remote",
    "Fully remote",
    "Hybrid",
    "hybrid",
    "On-site",
    "onsite",
    "on site",
    "Onsite",
    "in office",
    None,
]
INTROS = [
    "{c} builds software used by thousands of independent businesses.",
    "At {c} we care for patients and communities across the region.",
    "{c} is a family-owned company with more than forty years of history.",
    "Join {c}, one of the fastest-growing teams in our industry.",
    "{c} designs, installs and maintains systems for commercial buildings.",
]
DUTIES = [
    "Design, build and own services that process millions of events a day",
    "Work closely with product, operations and customer teams on priorities",
    "Mentor colleagues and take part in reviews and planning",
    "Keep equipment, documentation and safety records up to date",
    "Respond to customer requests by phone, chat and e-mail within agreed times",
    "Prepare monthly reports, reconciliations and forecasts",
    "Install, test and repair installations on client sites",
    "Improve reliability and latency of our public APIs",
    "Plan and deliver campaigns across paid, owned and earned channels",
    "Follow hygiene and quality standards in a busy environment",
    "Drive a company vehicle between sites across the region",
]
NEEDS = [
    "3+ years of relevant professional experience",
    "A recognised qualification or equivalent experience",
    "Fluent English; a second language is a plus",
    "A valid driving licence",
    "Strong SQL and data-modelling skills",
    "Experience with Kafka, Terraform or Kubernetes",
    "Comfortable working shifts, including some weekends",
    "Excellent written communication",
    "Attention to detail and a calm approach under pressure",
    "Right to work in the country of the role",
]
OFFERS = [
    "We offer meaningful equity, a pension match and a yearly learning budget.",
    "30 days of paid holiday, a public transport pass and flexible hours.",
    "Private health insurance, a bike scheme and a modern office.",
    "Paid overtime, company tools and uniform provided.",
]


def _description(rng: random.Random, company: str, title: str) -> str:
    parts = [f"<p>{rng.choice(INTROS).format(c=company)} We are hiring a {title.strip()}.</p>\n\n"]
    parts.append("<b>What you&#39;ll do</b>\n")
    parts += [f"• {d}\n" for d in rng.sample(DUTIES, rng.randint(3, 5))]
    parts.append("\n<b>What we&#39;re looking for</b>\n")
    parts += [f"• {n}\n" for n in rng.sample(NEEDS, rng.randint(3, 5))]
    parts.append("\n" + rng.choice(OFFERS) + f"&nbsp;{company} is an equal opportunity employer.\n")
    text = "".join(parts)
    target = rng.randint(800, 1500)
    filler = rng.sample(DUTIES + NEEDS, len(DUTIES) + len(NEEDS))
    i = 0
    while len(text) < target:
        text += f"<p>{filler[i % len(filler)]}; reference {rng.randint(1000, 99999)}.</p>\n"
        i += 1
    return text[:target] if len(text) > 1500 else text


def _money(rng: random.Random, amount: int) -> Any:
    style = rng.randrange(4)
    if style == 0:
        return amount
    if style == 1:
        return f"{amount:,}"
    if style == 2 and amount % 1000 == 0:
        return f"{amount // 1000}k"
    return str(amount)


def _posted_at(rng: random.Random, base: datetime) -> str:
    when = base - timedelta(minutes=rng.randint(0, 90 * 24 * 60))
    style = rng.randrange(3)
    if style == 0:
        return when.strftime("%Y-%m-%d")
    if style == 1:
        return when.strftime("%Y-%m-%dT%H:%M:00Z")
    hours = rng.choice([-5, 1, 2, 5, 8, 11])
    local = when + timedelta(hours=hours)
    return local.strftime("%Y-%m-%dT%H:%M:00") + f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"


def posting(rng: random.Random, i: int, base: datetime) -> dict[str, Any]:
    source = rng.choice(list(SOURCES))
    company = f"{rng.choice(NAME_A)}{rng.choice(NAME_B)} {rng.choice(['', 'Analytics', 'Health', 'Group', 'Systems'])}"
    company = " ".join(f"{company} {rng.choice(SUFFIX)}".split())
    title = rng.choice(SENIORITY) + rng.choice(ROLES) + rng.choice(SPECIALTIES)
    if rng.random() < 0.2:
        title = f"  {title.replace(' ', '  ', 1)} "
    location, currency, (lo, hi) = rng.choice(LOCATIONS)
    record: dict[str, Any] = {
        "id": f"{SOURCES[source]}-{i:07d}",
        "source": source,
        "title": title,
        "company": company,
        "location": location,
        "description": _description(rng, company, title),
        "salary_min": None,
        "salary_max": None,
        "currency": None,
        "work_model": rng.choice(WORK_MODELS),
        "posted_at": _posted_at(rng, base) if rng.random() < 0.95 else None,
        "url": f"https://jobs.example.com/{source}/{i}",
    }
    if rng.random() < 0.8:
        smin = rng.randrange(lo, hi, 1000)
        smax = min(hi + 50_000, smin + rng.randrange(0, max(2000, smin // 3), 1000))
        record["salary_min"], record["salary_max"] = _money(rng, smin), _money(rng, smax)
        record["currency"] = rng.choice([currency, currency.lower(), f" {currency}"])
    return record


def generate(n: int, seed: int = 20260101) -> bytes:
    """`n` postings as JSONL, identical for the same `n` and `seed`."""
    rng = random.Random(seed)
    base = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    # bytes per line, joined once: ~2x the output at peak, not the 6x of joining str first
    lines = [json.dumps(posting(rng, i, base), ensure_ascii=False).encode() + b"\n" for i in range(n)]
    return b"".join(lines)
