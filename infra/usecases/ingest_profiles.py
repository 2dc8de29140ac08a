"""The profile ingest use case: a JSON or JSONL file in, profile events on the log, projected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from infra.context import Context
from infra.usecases.emit import Phase, emit_and_project, quiet_phase
from processors.intake.changes import IngestPlan
from processors.intake.profiles import plan_profiles, read_profile_records
from processors.intake.records import FieldError
from processors.sensitive.shredding import seal
from projections.read.profiles import known_profiles
from projections.stores.keys import PostgresKeyStore
from schemas.models import ProfileEvent, now_utc


def validate_profile(data: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None, list[FieldError]]:
    """The scoring model is the contract: every field it names, checked and normalised."""
    from processors.scoring.models import Profile

    raw_id = data.get("id")
    profile_id = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id).strip() else None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError(".".join(str(p) for p in err["loc"]) or "(record)", err["msg"])
            for err in exc.errors()[:10]
        ]
        return profile_id, None, errors
    return profile.id, profile.model_dump(mode="json"), []


def ingest_profiles(
    ctx: Context,
    name: str,
    data: bytes,
    on_phase: Phase | None = None,
    on_event: Callable[[], None] | None = None,
) -> IngestPlan[ProfileEvent]:
    phase = on_phase or quiet_phase
    phase("catching up", None)
    ctx.catch_up()
    phase("validating", None)
    keys = PostgresKeyStore(ctx.endpoints.dsn)
    result = plan_profiles(
        read_profile_records(name, data),
        known_profiles(ctx.endpoints.dsn, ctx.schema),
        validate_profile,
        ctx.producer_meta,
        now_utc(),
        seal=lambda profile_id, text: seal(keys.key_for(profile_id, create=True) or b"", profile_id, text),
    )
    emit_and_project(ctx, result.events, phase, on_event)
    return result
