"""The profile projector writes each profile's experience atoms; rebuilds reproduce them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from infra.context import Context
from infra.endpoints import Endpoints
from infra.usecases.ingest_profiles import ingest_profiles
from processors.retrieval.atoms import atoms_from_profile
from processors.scoring.models import Profile
from projections.write.atoms import atom_source, profile_or_none
from projections.write.rebuild import rebuild
from tests.conftest import SAMPLES


def _atoms(ctx: Context, profile_id: str) -> list[dict[str, Any]]:
    with psycopg.connect(ctx.endpoints.dsn, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT atom_id, version, source, text, embedding IS NULL AS bare FROM proj.profile_atoms "
            "WHERE profile_id = %s ORDER BY atom_id",
            (profile_id,),
        ).fetchall()


@pytest.fixture(scope="module")
def profiled(module_stack: tuple[Path, Endpoints]) -> Iterator[Context]:
    context = Context(module_stack[1], component="tests")
    try:
        ingest_profiles(context, "profiles.jsonl", (SAMPLES / "profiles.jsonl").read_bytes())
        yield context
    finally:
        context.close()


@pytest.mark.stack
def test_every_sample_profile_gets_its_atoms_without_embeddings(profiled: Context) -> None:
    for line in (SAMPLES / "profiles.jsonl").read_text().splitlines():
        profile = Profile.model_validate(json.loads(line))
        expected = atoms_from_profile(atom_source(profile))
        stored = _atoms(profiled, profile.id)
        assert sorted(a["atom_id"] for a in stored) == sorted(a.atom_id for a in expected), profile.id
        assert all(a["version"] == 1 and a["bare"] for a in stored)
    amara = {a["atom_id"]: a for a in _atoms(profiled, "pr-amara-okafor")}
    assert amara["atoms[0]"]["source"] == "atoms[0]"
    assert amara["atoms[0]"]["text"].startswith("Cut p99 latency of the pricing API")
    assert amara["work_history[1]"]["text"].startswith("Software Developer at Tallyhouse")


@pytest.mark.stack
def test_a_changed_profile_replaces_its_atoms(profiled: Context) -> None:
    first = {
        "id": "pr-atoms-change",
        "current_role": "Data Engineer",
        "work_history": [{"job_title": "Data Engineer", "company": "Brightwave", "start": "2021-01"}],
        "atoms": ["Moved nightly batch jobs to streaming", "Ran the on-call rota"],
    }
    ingest_profiles(profiled, "one.json", json.dumps(first).encode())
    assert [a["atom_id"] for a in _atoms(profiled, "pr-atoms-change")] == [
        "atoms[0]",
        "atoms[1]",
        "work_history[0]",
    ]

    second = {**first, "atoms": ["Cut warehouse costs by a third"]}
    ingest_profiles(profiled, "one.json", json.dumps(second).encode())
    stored = _atoms(profiled, "pr-atoms-change")
    assert [(a["atom_id"], a["version"]) for a in stored] == [("atoms[0]", 2), ("work_history[0]", 2)]
    assert stored[0]["text"] == "Cut warehouse costs by a third"


@pytest.mark.stack
def test_a_rebuild_reproduces_the_atoms_exactly(profiled: Context) -> None:
    report = rebuild(profiled.endpoints.dsn, profiled.log_reader, profiled.codec, swap=False)
    assert report.equal, (report.checksum_live, report.checksum_rebuilt)


def test_a_bare_evidence_strength_is_not_read_as_a_claim() -> None:
    profile = Profile.model_validate(
        {
            "id": "p",
            "skills": [
                {"name": "Go", "evidence": 0.8},
                {"name": "SQL", "evidence": ["Wrote the reporting warehouse's schema"]},
            ],
        }
    )
    atoms = atoms_from_profile(atom_source(profile))
    assert [(a.atom_id, a.claim) for a in atoms] == [("skills[1]", "Wrote the reporting warehouse's schema")]


def test_a_document_that_is_not_a_profile_yields_none() -> None:
    assert profile_or_none("p", {"id": "p", "skills": "not a list"}) is None
    profile = profile_or_none("p", {"id": "p", "atoms": ["Shipped it"]})
    assert profile is not None and profile.atoms[0].text == "Shipped it"
