"""Validating and normalising one raw posting record, with errors that name the field."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from processors.intake.records import FieldError, RawRecord, read_jsonl
from processors.intake.validate import MAX_DESCRIPTION_CHARS, validate
from schemas.models import PostingContent

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data" / "postings.jsonl"


def _raw(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "gh-1",
        "source": "Greenhouse",
        "title": "Engineer",
        "company": "Acme",
        "description": "Build things.",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not _DROP}


_DROP = object()


def _ok(**overrides: Any) -> PostingContent:
    posting_id, content, errors = validate(_raw(**overrides))
    assert errors == [], [str(e) for e in errors]
    assert content is not None and posting_id is not None
    return content


def _errors(**overrides: Any) -> list[FieldError]:
    _, content, errors = validate(_raw(**overrides))
    assert content is None
    assert errors
    return errors


def _only(field: str, **overrides: Any) -> str:
    errors = _errors(**overrides)
    assert [e.field for e in errors] == [field], [str(e) for e in errors]
    return str(errors[0])


def test_minimal_posting_is_normalised() -> None:
    posting_id, content, errors = validate(_raw(id="  gh-1 ", title="  Senior   Engineer "))
    assert errors == [] and posting_id == "gh-1"
    assert content == PostingContent(
        source="greenhouse",
        title="Senior Engineer",
        company="Acme",
        location="",
        description="Build things.",
    )


@pytest.mark.parametrize("field", ["title", "company", "description", "source"])
@pytest.mark.parametrize("value", [_DROP, None, "", "   "])
def test_missing_required_text(field: str, value: object) -> None:
    assert _only(field, **{field: value}) == f"{field}: is missing or empty"


@pytest.mark.parametrize("value", [_DROP, None, ""])
def test_missing_id(value: object) -> None:
    posting_id, _, errors = validate(_raw(id=value))
    assert posting_id is None
    assert [str(e) for e in errors] == ["id: is missing"]


def test_numeric_id_becomes_text_and_bad_ids_are_rejected() -> None:
    assert validate(_raw(id=12345))[0] == "12345"
    assert "id: must be text, got true/false" in _only("id", id=True)
    assert "is not a valid id" in _only("id", id="has space")
    assert "is not a valid id" in _only("id", id="x" * 201)


def test_markup_only_text_is_empty_after_cleaning() -> None:
    message = _only("title", title="<b> </b>&nbsp;")
    assert message == "title: is empty after removing markup and whitespace"


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("title", 42, "a number"),
        ("company", 4.5, "a number"),
        ("description", ["a", "b"], "a list"),
        ("location", {"city": "Leeds"}, "an object"),
        ("title", True, "true/false"),
    ],
)
def test_wrong_types_name_the_field(field: str, value: object, kind: str) -> None:
    assert _only(field, **{field: value}) == f"{field}: must be text, got {kind}"


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (85000, 85000.0),
        (85000.5, 85000.5),
        ("85000", 85000.0),
        ("85,000", 85000.0),
        (" 85 000 ", 85000.0),
        ("85k", 85000.0),
        ("140K", 140000.0),
        ("1.2M", 1_200_000.0),
        ("2.5m", 2_500_000.0),
        (0, 0.0),
    ],
)
def test_salary_formats(value: object, amount: float) -> None:
    content = _ok(salary_min=value, currency="EUR")
    assert content.salary_min == amount
    assert _ok(salary_max=value, currency="EUR").salary_max == amount


@pytest.mark.parametrize("value", [None, "", "  "])
def test_absent_salary_is_none(value: object) -> None:
    content = _ok(salary_min=value, salary_max=value)
    assert content.salary_min is None and content.salary_max is None and content.currency is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (-5, "outside 0..1,000,000,000"),
        (2e9, "outside 0..1,000,000,000"),
        (float("inf"), "outside 0..1,000,000,000"),
        ("-5", "is not an amount"),
        ("about 80k", "is not an amount"),
        ("1e5", "is not an amount"),
        (True, "must be an amount, got true/false"),
        ([80000], "must be an amount, got a list"),
    ],
)
def test_bad_salaries_name_the_field(value: object, reason: str) -> None:
    assert reason in _only("salary_min", salary_min=value, currency="USD")
    assert _only("salary_max", salary_max=value, currency="USD").startswith("salary_max: ")


def test_salary_min_above_max_is_rejected() -> None:
    message = _only("salary_max", salary_min="90k", salary_max="80,000", currency="USD")
    assert message == "salary_max: 80,000 is below salary_min 90,000"
    assert _ok(salary_min=80000, salary_max="80k", currency="USD").salary_max == 80000.0


@pytest.mark.parametrize("value", ["eur", " EUR", "Eur ", "\tgbp\n"])
def test_currency_is_normalised(value: str) -> None:
    assert _ok(currency=value, salary_min=1).currency == value.strip().upper()


@pytest.mark.parametrize("value", ["EURO", "US$", "€", "E", 840, ["EUR"]])
def test_invalid_currency_is_rejected(value: object) -> None:
    assert "is not an ISO 4217 code" in _only("currency", currency=value)


def test_currency_is_required_when_a_salary_is_present() -> None:
    for salary in ({"salary_min": 1}, {"salary_max": "90k"}):
        assert "is required when a salary is given" in _only("currency", **salary)
    assert _ok(currency="EUR").currency == "EUR"  # a currency alone is fine


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("remote", "Remote"),
        ("REMOTE", "Remote"),
        ("Fully  Remote", "Remote"),
        ("WFH", "Remote"),
        ("work from home", "Remote"),
        ("hybrid", "Hybrid"),
        (" Hybrid ", "Hybrid"),
        ("On-site", "Onsite"),
        ("on site", "Onsite"),
        ("Onsite", "Onsite"),
        ("In office", "Onsite"),
        ("office", "Onsite"),
        (None, None),
        ("", None),
    ],
)
def test_work_model_variants(value: str | None, expected: str | None) -> None:
    assert _ok(work_model=value).work_model == expected


@pytest.mark.parametrize("value", ["Remote-first", "sometimes", "hybrid/remote", 1, True])
def test_unknown_work_model_is_rejected(value: object) -> None:
    assert "is not one of Remote, Hybrid, Onsite" in _only("work_model", work_model=value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-03", datetime(2026, 10, 3, tzinfo=UTC)),
        ("2026-10-03T09:15:00Z", datetime(2026, 10, 3, 9, 15, tzinfo=UTC)),
        ("2026-10-07T08:30:00+02:00", datetime(2026, 10, 7, 6, 30, tzinfo=UTC)),
        ("2026-10-27T22:30:00-04:00", datetime(2026, 10, 28, 2, 30, tzinfo=UTC)),
        ("2026-10-03T09:15:00", datetime(2026, 10, 3, 9, 15, tzinfo=UTC)),
        ("2026-10-03T09:15:00.123456Z", datetime(2026, 10, 3, 9, 15, 0, 123000, tzinfo=UTC)),
    ],
)
def test_posted_at_is_utc(value: str, expected: datetime) -> None:
    posted_at = _ok(posted_at=value).posted_at
    assert posted_at == expected
    assert posted_at is not None and posted_at.utcoffset() is not None
    assert posted_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "03/10/2026", "2026-10-03T25:00"])
def test_invalid_posted_at(value: str) -> None:
    assert "is not an ISO 8601 date or time" in _only("posted_at", posted_at=value)


def test_non_text_posted_at() -> None:
    message = _only("posted_at", posted_at=1760000000)
    assert message == "posted_at: must be an ISO 8601 date or time, got a number"


def test_url() -> None:
    assert _ok(url=" https://jobs.example.com/a?b=1 ").url == "https://jobs.example.com/a?b=1"
    assert _ok(url="http://x.io").url == "http://x.io"
    for bad in ["ftp://x.io/a", "jobs.example.com", "https://", "https://ab c.com", 7]:
        assert "is not an http(s) URL" in _only("url", url=bad)


@pytest.mark.parametrize("bad", ["https://a b.com", "https://a\tb.com"])
def test_url_with_whitespace_in_host_is_rejected(bad: str) -> None:
    assert "is not an http(s) URL" in _only("url", url=bad)


def test_all_errors_are_reported_together() -> None:
    _, content, errors = validate({"id": "ok-1", "title": 1, "salary_min": "x", "url": "nope"})
    assert content is None
    fields = {e.field for e in errors}
    assert {"source", "title", "company", "description", "salary_min", "url"} <= fields


def test_huge_description_is_rejected_quickly_naming_field_and_limit() -> None:
    started = time.perf_counter()
    message = _only("description", description="x" * 5_000_000)
    assert time.perf_counter() - started < 1.0
    assert message.startswith("description: ")
    assert f"{MAX_DESCRIPTION_CHARS:,}" in message and "5,000,000" in message


def test_description_over_limit_after_cleaning_is_rejected() -> None:
    message = _only("description", description="word " * (MAX_DESCRIPTION_CHARS // 4))
    assert "after cleaning" in message and f"{MAX_DESCRIPTION_CHARS:,}" in message
    assert "is 50,000 characters" not in message
    long_title = _only("title", title="T" * 501)
    assert "the limit is 500" in long_title


def test_every_sample_posting_validates() -> None:
    records = list(read_jsonl(SAMPLE.read_bytes()))
    assert len(records) >= 30
    ids = set()
    for rec in records:
        assert isinstance(rec, RawRecord), rec
        posting_id, content, errors = validate(rec.data)
        assert errors == [], (rec.line, [str(e) for e in errors])
        assert content is not None and posting_id == rec.data["id"]
        assert content.currency is None or content.currency.isupper()
        assert content.work_model in (None, "Remote", "Hybrid", "Onsite")
        ids.add(posting_id)
        assert json.dumps(content.model_dump(mode="json"))  # serialisable
    assert len(ids) == len(records)
