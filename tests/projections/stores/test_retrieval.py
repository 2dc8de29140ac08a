"""Profile atoms on a real PostgreSQL with pgvector: full-text and kNN candidates, versions, embeddings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
import psycopg
import pytest
from psycopg import sql

from processors.retrieval import ExperienceAtom, Query, blend
from projections.stores.retrieval import (
    lexical_candidates,
    missing_embeddings,
    semantic_candidates,
    set_embeddings,
    upsert_atoms,
)
from projections.write.migrate import migrate_projection

pytestmark = pytest.mark.stack  # a real PostgreSQL, started by the pg_dsn fixture


@pytest.fixture()
def schema(pg_dsn: str) -> Iterator[tuple[psycopg.Connection, str]]:
    name = f"ret_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        migrate_projection(conn, name)
        try:
            yield conn, name
        finally:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def unit_vectors(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, 384))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def atom(i: int, claim: str, **extra) -> ExperienceAtom:
    return ExperienceAtom(atom_id=f"atoms[{i}]", title="", claim=claim, source=f"atoms[{i}]", **extra)


ATOMS = [
    atom(0, "Built Kafka consumers in Go for payment events", tags=("go", "kafka"), domain="01"),
    atom(1, "Ran PostgreSQL upgrades with zero downtime", tags=("postgres",), domain="01"),
    atom(2, "Mentored four junior engineers", tags=("mentoring",), domain="05"),
    atom(3, "Wrote Go services and a Postgres migration tool", tags=("go", "postgres"), domain="01"),
]


def test_lexical_candidates_rank_by_ts_rank_cd_within_one_profile(schema):
    conn, name = schema
    upsert_atoms(conn, name, "prof-a", 1, ATOMS)
    upsert_atoms(conn, name, "prof-b", 1, [atom(0, "Go and Postgres everywhere")])
    found = lexical_candidates(conn, name, "prof-a", "go postgres", 10)
    assert [c.id for c in found] == ["atoms[3]"]  # websearch: both words required
    either = lexical_candidates(conn, name, "prof-a", "go or postgresql", 10)
    assert {c.id for c in either} == {"atoms[0]", "atoms[1]", "atoms[3]"}
    assert [c.score for c in either] == sorted((c.score for c in either), reverse=True)
    assert all(c.score > 0 for c in either)
    assert (either[0].evidence.source or "").startswith("atoms[")
    assert lexical_candidates(conn, name, "prof-a", '"zero downtime" -kafka', 10)[0].id == "atoms[1]"
    assert lexical_candidates(conn, name, "prof-a", "", 10) == []
    assert len(lexical_candidates(conn, name, "prof-a", "go or postgresql", 2)) == 2


def test_semantic_candidates_are_nearest_by_cosine(schema):
    conn, name = schema
    vectors = unit_vectors(len(ATOMS), seed=3)
    upsert_atoms(conn, name, "prof-a", 1, ATOMS, vectors.tolist())
    # Other profiles' atoms sit nearer the query; the filter must still return k of prof-a's.
    upsert_atoms(
        conn, name, "prof-b", 1, [atom(i, f"other {i}") for i in range(30)], unit_vectors(30, 4).tolist()
    )
    query = vectors[2] + 0.1 * unit_vectors(1, seed=5)[0]
    query /= np.linalg.norm(query)
    found = semantic_candidates(conn, name, "prof-a", query.tolist(), 3)
    assert len(found) == 3
    assert found[0].id == "atoms[2]"
    expected = sorted(
        ((float(v @ query), a.atom_id) for a, v in zip(ATOMS, vectors, strict=True)), reverse=True
    )
    assert [c.id for c in found] == [i for _, i in expected[:3]]
    for cand, (sim, _) in zip(found, expected, strict=False):
        assert cand.score == pytest.approx(sim, abs=1e-5)


def test_a_new_version_replaces_atoms_and_an_old_one_is_ignored(schema):
    conn, name = schema
    upsert_atoms(conn, name, "prof-a", 2, ATOMS, unit_vectors(4, 1).tolist())
    kept = [ATOMS[0], atom(1, "Ran PostgreSQL 17 upgrades")]
    counts = upsert_atoms(conn, name, "prof-a", 3, kept)
    assert counts == {"upserted": 2, "deleted": 2, "stale": 0}
    # Unchanged text keeps its vector; changed text loses it until re-embedded.
    assert missing_embeddings(conn, name, "prof-a") == {"atoms[1]": kept[1].content_hash}
    assert upsert_atoms(conn, name, "prof-a", 2, ATOMS) == {"upserted": 0, "deleted": 0, "stale": 1}
    rows = conn.execute(
        sql.SQL("SELECT atom_id, version FROM {} ORDER BY atom_id").format(
            sql.Identifier(name, "profile_atoms")
        )
    ).fetchall()
    assert rows == [("atoms[0]", 3), ("atoms[1]", 3)]


def test_set_embeddings_only_for_the_text_they_were_computed_from(schema):
    conn, name = schema
    upsert_atoms(conn, name, "prof-a", 1, ATOMS[:2])
    vec = unit_vectors(2, 9).tolist()
    written = set_embeddings(
        conn,
        name,
        "prof-a",
        {"atoms[0]": (ATOMS[0].content_hash, vec[0]), "atoms[1]": ("stale-hash", vec[1])},
    )
    assert written == 1
    assert list(missing_embeddings(conn, name, "prof-a")) == ["atoms[1]"]
    assert [c.id for c in semantic_candidates(conn, name, "prof-a", vec[0], 5)] == ["atoms[0]"]


def test_dimension_is_checked_before_writing(schema):
    conn, name = schema
    with pytest.raises(ValueError, match="384"):
        upsert_atoms(conn, name, "prof-a", 1, ATOMS[:1], [[0.1, 0.2]])
    with pytest.raises(ValueError, match="1 atoms but 2"):
        upsert_atoms(conn, name, "prof-a", 1, ATOMS[:1], [[0.0] * 384] * 2)


def test_store_candidates_blend_into_one_ranking(schema):
    conn, name = schema
    vectors = unit_vectors(len(ATOMS), seed=11)
    upsert_atoms(conn, name, "prof-a", 1, ATOMS, vectors.tolist())
    lex = lexical_candidates(conn, name, "prof-a", "go or kafka", 10)
    sem = semantic_candidates(conn, name, "prof-a", vectors[0].tolist(), 2)
    results = blend(lex, sem, "job_matching", query=Query(domain="01", tags=frozenset({"kafka"})))
    assert results[0].id == "atoms[0]"
    assert results[0].found_by == "both"
    assert {b.name for b in results[0].bonuses} == {"domain_match", "tag_overlap"}
    assert len({r.id for r in results}) == len(results)
