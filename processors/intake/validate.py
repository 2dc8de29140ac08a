"""Validate and normalise one raw posting record into `PostingContent`, or say what is wrong."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from processors.intake.records import FieldError
from processors.intake.text import clean_description, clean_inline
from schemas.limits import MAX_URL_CHARS, value_problems
from schemas.models import PostingContent

MAX_DESCRIPTION_CHARS = 100_000
MAX_INLINE_CHARS = 500
MAX_ID_CHARS = 200
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_MONEY = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmM]?)$")
WORK_MODELS = {
    "remote": "Remote",
    "fully remote": "Remote",
    "work from home": "Remote",
    "wfh": "Remote",
    "hybrid": "Hybrid",
    "onsite": "Onsite",
    "on-site": "Onsite",
    "on site": "Onsite",
    "in office": "Onsite",
    "in-office": "Onsite",
    "office": "Onsite",
}
REQUIRED_TEXT = ("source", "title", "company", "description")


def validate(raw: dict[str, Any]) -> tuple[str | None, PostingContent | None, list[FieldError]]:
    """Returns (posting id, content, errors); content is None when any error is found."""
    errors: list[FieldError] = []
    posting_id = _posting_id(raw.get("id"), errors)
    text: dict[str, str] = {}
    for name in (*REQUIRED_TEXT, "location"):
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in REQUIRED_TEXT:
                errors.append(FieldError(name, "is missing or empty"))
            else:
                text[name] = ""
            continue
        if not isinstance(value, str):
            errors.append(FieldError(name, f"must be text, got {_kind(value)}"))
            continue
        if name == "description":
            if len(value) > MAX_DESCRIPTION_CHARS * 4:
                errors.append(
                    FieldError(name, f"is {len(value):,} characters; the limit is {MAX_DESCRIPTION_CHARS:,}")
                )
                continue
            cleaned = clean_description(value)
            limit = MAX_DESCRIPTION_CHARS
        else:
            cleaned = clean_inline(value)
            limit = MAX_INLINE_CHARS
        if len(cleaned) > limit:
            errors.append(
                FieldError(name, f"is {len(cleaned):,} characters after cleaning; the limit is {limit:,}")
            )
        elif not cleaned and name in REQUIRED_TEXT:
            errors.append(FieldError(name, "is empty after removing markup and whitespace"))
        else:
            text[name] = cleaned
    if "source" in text:
        text["source"] = text["source"].lower()
    salary_min = _money(raw.get("salary_min"), "salary_min", errors)
    salary_max = _money(raw.get("salary_max"), "salary_max", errors)
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        errors.append(FieldError("salary_max", f"{salary_max:,.0f} is below salary_min {salary_min:,.0f}"))
    currency = _currency(raw.get("currency"), errors)
    if currency is None and (salary_min is not None or salary_max is not None):
        errors.append(
            FieldError("currency", "is required when a salary is given (an ISO 4217 code such as EUR)")
        )
    work_model = _work_model(raw.get("work_model"), errors)
    posted_at = _timestamp(raw.get("posted_at"), errors)
    url = _url(raw.get("url"), errors)
    if errors:
        return posting_id, None, errors
    for path, reason in value_problems(
        {**text, "currency": currency, "work_model": work_model, "url": url},
        limits={"url": MAX_URL_CHARS, "description": MAX_DESCRIPTION_CHARS},
    ):
        errors.append(FieldError(path, reason))
    if errors:
        return posting_id, None, errors
    content = PostingContent(
        source=text["source"],
        title=text["title"],
        company=text["company"],
        location=text.get("location", ""),
        description=text["description"],
        salary_min=salary_min,
        salary_max=salary_max,
        currency=currency,
        work_model=work_model,
        posted_at=posted_at,
        url=url,
    )
    return posting_id, content, []


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _posting_id(value: object, errors: list[FieldError]) -> str | None:
    if value is None or value == "":
        errors.append(FieldError("id", "is missing"))
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        errors.append(FieldError("id", f"must be text, got {_kind(value)}"))
        return None
    value = value.strip()
    if len(value) > MAX_ID_CHARS or not _ID.match(value):
        errors.append(
            FieldError(
                "id",
                f"{value[:40]!r} is not a valid id (letters, digits and ._:/@+- only, at most {MAX_ID_CHARS})",
            )
        )
        return None
    return value


def _money(value: object, name: str, errors: list[FieldError]) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors.append(FieldError(name, "must be an amount, got true/false"))
        return None
    if isinstance(value, int | float):
        amount = float(value)
    elif isinstance(value, str):
        m = _MONEY.match(value.strip().replace(",", "").replace("_", "").replace(" ", ""))
        if not m:
            errors.append(
                FieldError(name, f'{value[:40]!r} is not an amount (examples: 85000, "85,000", "85k")')
            )
            return None
        scale = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
        amount = float(m.group(1)) * scale
    else:
        errors.append(FieldError(name, f"must be an amount, got {_kind(value)}"))
        return None
    if amount != amount or amount < 0 or amount > 1e9:
        errors.append(FieldError(name, f"{amount:,.0f} is outside 0..1,000,000,000"))
        return None
    return amount


def _currency(value: object, errors: list[FieldError]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or not _CURRENCY.match(value.strip().upper()):
        errors.append(
            FieldError("currency", f"{str(value)[:20]!r} is not an ISO 4217 code such as USD or EUR")
        )
        return None
    return value.strip().upper()


def _work_model(value: object, errors: list[FieldError]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    key = " ".join(str(value).strip().lower().split()) if isinstance(value, str) else None
    if key is None or key not in WORK_MODELS:
        errors.append(FieldError("work_model", f"{str(value)[:30]!r} is not one of Remote, Hybrid, Onsite"))
        return None
    return WORK_MODELS[key]


def _timestamp(value: object, errors: list[FieldError]) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        errors.append(FieldError("posted_at", f"must be an ISO 8601 date or time, got {_kind(value)}"))
        return None
    raw = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        if len(raw) == 10:
            parsed = datetime.combine(date.fromisoformat(raw), datetime.min.time(), UTC)
        else:
            parsed = datetime.fromisoformat(raw)
    except ValueError:
        errors.append(
            FieldError(
                "posted_at",
                f"{value[:40]!r} is not an ISO 8601 date or time (e.g. 2026-10-03 or 2026-10-03T09:15:00Z)",
            )
        )
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def _url(value: object, errors: list[FieldError]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and len(value.strip()) > MAX_URL_CHARS:
        errors.append(
            FieldError("url", f"is {len(value.strip()):,} characters; the limit is {MAX_URL_CHARS:,}")
        )
        return None
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/$.?#][^\s]*$", value.strip()):
        errors.append(FieldError("url", f"{str(value)[:60]!r} is not an http(s) URL"))
        return None
    return value.strip()
