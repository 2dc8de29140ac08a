"""Embeddings in a real PostgreSQL with pgvector: the cache store, upserts, HNSW kNN."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import psycopg
import pytest
from psycopg import sql

from processors.embeddings.cache import CachedEmbedder
from projections.stores.embeddings import (
    PgVectorStore,
    knn,
    load_embeddings,
    upsert_posting_embeddings,
    upsert_profile_embeddings,
)
from projections.write.migrate import migrate_projection
from tests.processors.embeddings.test_cache import CountingProvider

pytestmark = pytest.mark.stack
DIM = 384


@pytest.fixture()
def conn(pg_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(pg_dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture()
def schema(conn: psycopg.Connection[Any]) -> Iterator[str]:
    name = f"emb_{uuid.uuid4().hex[:10]}"
    migrate_projection(conn, name)
    try:
        yield name
    finally:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_the_cache_survives_the_embedder(conn: psycopg.Connection[Any], schema: str) -> None:
    first = CountingProvider(dimension=DIM)
    CachedEmbedder(first, PgVectorStore(conn, schema)).embed(["Python", "SQL"])
    second = CountingProvider(dimension=DIM)
    out = CachedEmbedder(second, PgVectorStore(conn, schema)).embed(["SQL", "Python", "Go"])
    assert second.embedded == ["Go"]
    np.testing.assert_allclose(out[:2], first.embed(["SQL", "Python"]), atol=1e-7)
    assert len(PgVectorStore(conn, schema)) == 3


def test_put_keeps_the_first_vector_and_checks_the_dimension(
    conn: psycopg.Connection[Any], schema: str
) -> None:
    store = PgVectorStore(conn, schema)
    a, b = unit(np.random.default_rng(1), 2)
    store.put_many([("h1", "m", a)])
    store.put_many([("h1", "m", b), ("h2", "m", b)])
    got = store.get_many(["h1", "h2", "h3"])
    assert set(got) == {"h1", "h2"}
    np.testing.assert_allclose(got["h1"], a, atol=1e-7)
    with pytest.raises(ValueError, match="384"):
        store.put_many([("h4", "m", np.ones(8, dtype=np.float32))])
    assert store.get_many([]) == {}


def test_upserts_never_go_back_in_time(conn: psycopg.Connection[Any], schema: str) -> None:
    v1, v2, v3 = unit(np.random.default_rng(2), 3)
    assert (
        upsert_profile_embeddings(conn, schema, "p1", 2, {"hard_skills": ("h2", v2), "title": ("t", v3)}, "m")
        == 2
    )
    assert upsert_profile_embeddings(conn, schema, "p1", 1, {"hard_skills": ("h1", v1)}, "m") == 0
    stored = load_embeddings(conn, schema, "profile", "p1")
    assert {k: (ver, h) for k, (ver, h, _) in stored.items()} == {"hard_skills": (2, "h2"), "title": (2, "t")}
    np.testing.assert_allclose(stored["hard_skills"][2], v2, atol=1e-7)
    assert upsert_profile_embeddings(conn, schema, "p1", 3, {"hard_skills": ("h1", v1)}, "m") == 1
    assert load_embeddings(conn, schema, "profile", "p1")["hard_skills"][:2] == (3, "h1")
    assert load_embeddings(conn, schema, "posting", "p1") == {}


def _load_postings(
    conn: psycopg.Connection[Any], schema: str, vectors: np.ndarray, rng: np.random.Generator
) -> None:
    titles = unit(rng, len(vectors))
    for i, v in enumerate(vectors):
        rows = {
            "requirements": (f"r{i}", v),
            "title": (f"t{i}", titles[i]),
            "culture": ("", np.zeros(DIM, np.float32)),
        }
        upsert_posting_embeddings(conn, schema, f"post-{i:04d}", 1, rows, "m")


@pytest.fixture(scope="module")
def postings(pg_dsn: str) -> Iterator[tuple[psycopg.Connection[Any], str, np.ndarray]]:
    """1,000 clustered postings (3,000 rows): enough that the planner picks HNSW over a sort."""
    rng = np.random.default_rng(3)
    centres = unit(rng, 12)
    vectors = centres[rng.integers(0, 12, 1000)] + 0.08 * rng.standard_normal((1000, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    name = f"emb_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_dsn, autocommit=True) as connection:
        migrate_projection(connection, name)
        try:
            _load_postings(connection, name, vectors, rng)
            connection.execute(sql.SQL("ANALYZE {}.posting_embeddings").format(sql.Identifier(name)))
            yield connection, name, vectors
        finally:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def test_knn_finds_the_true_nearest(postings: tuple[psycopg.Connection[Any], str, np.ndarray]) -> None:
    conn, schema, vectors = postings
    rng = np.random.default_rng(6)
    # Queries as candidates make them: near the data (its own points, and points jittered off them).
    jittered = vectors[100:110] + 0.05 * rng.standard_normal((10, DIM)).astype(np.float32)
    recalls = []
    for q in [*vectors[:10], *(jittered / np.linalg.norm(jittered, axis=1, keepdims=True))]:
        query = np.asarray(q, dtype=np.float32)
        got = knn(conn, schema, "requirements", query, 10)
        exact = 1.0 - vectors @ query
        truth = [f"post-{i:04d}" for i in np.argsort(exact)[:10]]
        assert len(got) == 10
        assert got[0][0] == truth[0]
        recalls.append(len({i for i, _ in got} & set(truth)) / 10)
        for posting_id, distance in got:
            assert distance == pytest.approx(exact[int(posting_id[5:])], abs=1e-5)
        assert [d for _, d in got] == sorted(d for _, d in got)
    assert np.mean(recalls) >= 0.95


def test_knn_uses_the_hnsw_index(postings: tuple[psycopg.Connection[Any], str, np.ndarray]) -> None:
    conn, schema, vectors = postings
    query = sql.SQL(
        "EXPLAIN SELECT posting_id FROM {}.posting_embeddings WHERE kind = 'requirements' "
        "ORDER BY embedding <=> %s LIMIT 10"
    ).format(sql.Identifier(schema))
    with conn.transaction():
        conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute(query, (vectors[7],)))
    assert "Index Scan using posting_embeddings_hnsw" in plan


def test_neutral_culture_vectors_are_never_neighbours(
    postings: tuple[psycopg.Connection[Any], str, np.ndarray],
) -> None:
    conn, schema, _ = postings
    rng = np.random.default_rng(5)
    assert knn(conn, schema, "culture", unit(rng, 1)[0], 5) == []
    assert knn(conn, schema, "requirements", np.zeros(DIM, np.float32), 5) == []
    assert len(knn(conn, schema, "title", unit(rng, 1)[0], 60)) == 60
    with pytest.raises(ValueError):
        knn(conn, schema, "title", unit(rng, 1)[0], 5, entity="persona")  # type: ignore[arg-type]
