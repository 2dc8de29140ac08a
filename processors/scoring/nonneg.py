"""The non-negotiables filter (seed 001 §3), run before any score.

Undisclosed data (§3.2): an undisclosed salary passes with a warning, an undisclosed work
model is taken as Onsite (conservative), unknown visa sponsorship passes with a warning.
Salaries are compared only in one currency: without exchange rates (no I/O here) a salary
in another currency is not compared and a warning says so.
"""

from __future__ import annotations

from processors.scoring.models import CustomRule, DerivedPosting, Profile
from processors.scoring.result import NonNegotiablesResult

ALLOWED_MODELS = {
    "Remote Only": ("Remote",),
    "Hybrid OK": ("Remote", "Hybrid"),
    "Onsite OK": ("Remote", "Hybrid", "Onsite"),
}


def work_model(posting: DerivedPosting) -> str:
    return posting.work_model or "Onsite"


def _place_key(text: str) -> str:
    return " ".join(text.casefold().replace(",", " , ").split())


def commutable(location: str | None, cities: list[str]) -> bool:
    """The posting's location is one of the cities, compared on the whole text or on its city part."""
    if not location:
        return False
    whole = _place_key(location)
    city = _place_key(location.split(",")[0])
    keys = {_place_key(c) for c in cities}
    return whole in keys or city in keys


def money(value: float, currency: str | None) -> str:
    return f"{value:,.0f} {currency}" if currency else f"{value:,.0f}"


def salary_comparable(profile: Profile, posting: DerivedPosting) -> bool:
    mine, theirs = profile.compensation.currency, posting.currency
    return mine is None or theirs is None or mine == theirs


def custom_holds(rule: CustomRule, posting: DerivedPosting) -> bool | None:
    """True when the rule holds, None when the posting lacks the field (benefit of the doubt)."""
    value = getattr(posting, rule.field, None)
    if value is None:
        return None
    if rule.op in ("contains", "not_contains"):
        haystack = " ".join(map(str, value)) if isinstance(value, list) else str(value)
        found = str(rule.value).casefold() in haystack.casefold()
        return found if rule.op == "contains" else not found
    if rule.op in (">=", "<="):
        if not isinstance(value, int | float) or not isinstance(rule.value, int | float):
            return None
        return value >= rule.value if rule.op == ">=" else value <= rule.value
    same = str(value).casefold() == str(rule.value).casefold()
    return same if rule.op == "==" else not same


def check(profile: Profile, posting: DerivedPosting) -> NonNegotiablesResult:
    nn = profile.non_negotiables
    failed: list[str] = []
    warnings: list[str] = []
    model = work_model(posting)
    if posting.work_model is None:
        warnings.append("Work model not stated; assumed on-site")
    if model not in ALLOWED_MODELS[nn.remote_preference]:
        failed.append(f"Work model {model} does not meet your preference ({nn.remote_preference})")

    if posting.salary_max is None:
        warnings.append("Salary not disclosed")
    elif nn.minimum_base_salary is not None:
        if not salary_comparable(profile, posting):
            warnings.append(
                f"Salary is in {posting.currency}, your minimum in {profile.compensation.currency}; not compared"
            )
        elif posting.salary_max < nn.minimum_base_salary:
            cur = posting.currency or profile.compensation.currency
            failed.append(
                f"Salary below your minimum ({money(posting.salary_max, cur)} < "
                f"{money(nn.minimum_base_salary, cur)})"
            )

    if nn.commutable_cities and model != "Remote" and not commutable(posting.location, nn.commutable_cities):
        where = posting.location or "an unstated location"
        failed.append(f"{model} role in {where}, not in your commutable cities")

    if nn.visa_sponsorship_required:
        if posting.visa_sponsorship is False:
            failed.append("No visa sponsorship, and you need it")
        elif posting.visa_sponsorship is None:
            warnings.append("Visa sponsorship unknown")

    excluded = {x.casefold() for x in nn.industry_exclusions}
    if posting.company_industry and posting.company_industry.casefold() in excluded:
        failed.append(f"Industry excluded: {posting.company_industry}")

    for rule in nn.custom:
        held = custom_holds(rule, posting)
        label = rule.name or f"{rule.field} {rule.op} {rule.value}"
        if held is False:
            failed.append(f"Custom rule failed: {label}")
        elif held is None:
            warnings.append(f"Custom rule not checked (posting has no {rule.field}): {label}")

    return NonNegotiablesResult(passed=not failed, failed_reasons=failed, warnings=warnings)
