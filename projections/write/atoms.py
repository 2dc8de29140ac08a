"""Project a profile version's experience atoms into `profile_atoms` (seed 003 §3.1).

Atoms are a pure function of the profile document, so the profile projector writes them in
its own transaction: a rebuild replays the same events into the same rows. Embeddings are
never written here. They are derived, model-dependent data that search fills in lazily, and
a projection written from events alone has to be reproducible without a model.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import psycopg
from pydantic import ValidationError

from processors.retrieval.atoms import atoms_from_profile
from processors.scoring.models import Profile
from projections.stores.retrieval import upsert_atoms

log = logging.getLogger(__name__)


def current_schema(conn: psycopg.Connection[Any]) -> str:
    """The schema the projector's `SET LOCAL search_path` put first: live or a rebuild's fresh one."""
    row = conn.execute("SELECT current_schema()").fetchone()
    value = None if row is None else (next(iter(row.values())) if isinstance(row, Mapping) else row[0])
    if not value:
        raise RuntimeError("no current schema: the search_path names no existing schema")
    return str(value)


def project_atoms(
    conn: psycopg.Connection[Any],
    profile_id: str,
    version: int,
    profile: Profile | None,
    *,
    schema: str | None = None,
) -> dict[str, int]:
    """Make the profile's stored atoms exactly those of `profile` at `version`.

    `profile` None stands for a document that is not a valid profile: it gets no atoms, so
    stale claims from an earlier version are never cited for it. Returns `upsert_atoms`' counts.
    """
    atoms = atoms_from_profile(atom_source(profile)) if profile is not None else []
    return upsert_atoms(conn, schema or current_schema(conn), profile_id, version, atoms, embeddings=None)


def profile_or_none(profile_id: str, document: Mapping[str, Any]) -> Profile | None:
    """The document read as a Profile, or None (logged) when it does not satisfy the contract.

    Intake validates every document it emits, so None means a foreign or older producer; the
    projector must keep going rather than wedge on one record.
    """
    try:
        return Profile.model_validate(document)
    except ValidationError as exc:
        log.warning("profile %s: document is not a valid profile, no atoms projected: %s", profile_id, exc)
        return None


def atom_source(profile: Profile) -> dict[str, Any]:
    """The profile as the mapping `atoms_from_profile` reads.

    A skill's `evidence` may be a bare strength (0..1) rather than a list of claims; a number
    cites nothing, and the atom reader expects text, so it is dropped here.
    """
    document = profile.model_dump(mode="json")
    document["skills"] = [
        {**skill, "evidence": skill["evidence"] if isinstance(skill.get("evidence"), list) else None}
        for skill in document.get("skills") or []
    ]
    return document
