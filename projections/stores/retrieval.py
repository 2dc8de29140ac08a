"""Profile atoms in Postgres: full-text and pgvector candidates for hybrid retrieval (seed 003).

Rows are replaced per profile version; an older version arriving late (a replay, a
redelivery) changes nothing. An atom whose text did not change keeps its embedding, so
nothing is embedded twice; one whose text changed loses it until a new one is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from processors.retrieval.atoms import ExperienceAtom
from processors.retrieval.model import Candidate, EvidencePointer, UnitKind
from projections.db import check_schema_name

DIMENSION = 384
_LOCK_NAMESPACE = 7_301_005  # per-profile advisory locks: one writer per profile at a time

_UPSERT = """
INSERT INTO {table} AS t (profile_id, atom_id, version, title, text, source, domain, tags,
                          started, ended, verified, content_hash, embedding)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::vector)
ON CONFLICT (profile_id, atom_id) DO UPDATE SET
    version = EXCLUDED.version, title = EXCLUDED.title, text = EXCLUDED.text,
    source = EXCLUDED.source, domain = EXCLUDED.domain, tags = EXCLUDED.tags,
    started = EXCLUDED.started, ended = EXCLUDED.ended, verified = EXCLUDED.verified,
    content_hash = EXCLUDED.content_hash,
    embedding = CASE
        WHEN EXCLUDED.embedding IS NOT NULL THEN EXCLUDED.embedding
        WHEN t.content_hash = EXCLUDED.content_hash THEN t.embedding
    END
"""

_COLUMNS = "atom_id, source, text, domain, tags"


def upsert_atoms(
    conn: psycopg.Connection[Any],
    schema: str,
    profile_id: str,
    version: int,
    atoms: Sequence[ExperienceAtom],
    embeddings: Sequence[Sequence[float]] | None = None,
) -> dict[str, int]:
    """Make the profile's atoms exactly `atoms`, as of `version`.

    Returns counts: `upserted`, `deleted`, and `stale` (1 when a newer version is already
    stored and nothing was written).
    """
    if embeddings is not None and len(embeddings) != len(atoms):
        raise ValueError(f"{len(atoms)} atoms but {len(embeddings)} embeddings")
    vectors = [None] * len(atoms) if embeddings is None else [_vector_literal(v) for v in embeddings]
    table = _table(schema)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_NAMESPACE, profile_id))
        cur.execute(sql.SQL("SELECT max(version) FROM {} WHERE profile_id = %s").format(table), (profile_id,))
        row = cur.fetchone()
        stored = _first(row)
        if stored is not None and stored > version:
            return {"upserted": 0, "deleted": 0, "stale": 1}
        cur.execute(
            sql.SQL("DELETE FROM {} WHERE profile_id = %s AND NOT (atom_id = ANY(%s))").format(table),
            (profile_id, [a.atom_id for a in atoms]),
        )
        deleted = cur.rowcount
        cur.executemany(
            sql.SQL(_UPSERT).format(table=table),
            [
                (
                    profile_id,
                    a.atom_id,
                    version,
                    a.title,
                    a.text,
                    a.source,
                    a.domain,
                    list(a.tags),
                    a.started,
                    a.ended,
                    a.verified,
                    a.content_hash,
                    vector,
                )
                for a, vector in zip(atoms, vectors, strict=True)
            ],
        )
    return {"upserted": len(atoms), "deleted": deleted, "stale": 0}


def missing_embeddings(conn: psycopg.Connection[Any], schema: str, profile_id: str) -> dict[str, str]:
    """atom_id -> content_hash of the profile's atoms that have no embedding yet."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            sql.SQL(
                "SELECT atom_id, content_hash FROM {} WHERE profile_id = %s AND embedding IS NULL ORDER BY atom_id"
            ).format(_table(schema)),
            (profile_id,),
        )
        return {r["atom_id"]: r["content_hash"] for r in cur.fetchall()}


def set_embeddings(
    conn: psycopg.Connection[Any],
    schema: str,
    profile_id: str,
    vectors: Mapping[str, tuple[str, Sequence[float]]],
) -> int:
    """Store embeddings as atom_id -> (content_hash it was computed from, vector).

    A vector whose hash no longer matches the row is dropped: the text changed meanwhile.
    Returns how many rows took a vector.
    """
    query = sql.SQL(
        "UPDATE {} SET embedding = %s::vector WHERE profile_id = %s AND atom_id = %s AND content_hash = %s"
    ).format(_table(schema))
    written = 0
    with conn.transaction(), conn.cursor() as cur:
        for atom_id, (content_hash, vector) in sorted(vectors.items()):
            cur.execute(query, (_vector_literal(vector), profile_id, atom_id, content_hash))
            written += cur.rowcount
    return written


def lexical_candidates(
    conn: psycopg.Connection[Any], schema: str, profile_id: str, query: str, k: int = 100
) -> list[Candidate]:
    """The profile's atoms matching `query` (web-search syntax), by ts_rank_cd; seed default k=100."""
    statement = sql.SQL(
        "SELECT {cols}, ts_rank_cd(tsv, q)::float8 AS score"
        " FROM {table}, websearch_to_tsquery('simple', %s) AS q"
        " WHERE profile_id = %s AND tsv @@ q ORDER BY score DESC, atom_id LIMIT %s"
    ).format(cols=sql.SQL(_COLUMNS), table=_table(schema))
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(statement, (query, profile_id, k))
        return [_candidate(r) for r in cur.fetchall()]


def semantic_candidates(
    conn: psycopg.Connection[Any], schema: str, profile_id: str, vector: Sequence[float], k: int = 50
) -> list[Candidate]:
    """The profile's `k` atoms nearest to `vector` by cosine distance; score = 1 - distance."""
    literal = _vector_literal(vector)
    statement = sql.SQL(
        "SELECT {cols}, (1 - (embedding <=> %s::vector))::float8 AS score FROM {table}"
        " WHERE profile_id = %s AND embedding IS NOT NULL"
        " ORDER BY embedding <=> %s::vector, atom_id LIMIT %s"
    ).format(cols=sql.SQL(_COLUMNS), table=_table(schema))
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        # The HNSW index is shared by all profiles: without iterative scans the profile filter
        # runs after the index's first ef_search neighbours and can return fewer than k.
        cur.execute("SET LOCAL hnsw.iterative_scan = strict_order")
        cur.execute(statement, (literal, profile_id, literal, k))
        return [_candidate(r) for r in cur.fetchall()]


def _candidate(row: Mapping[str, Any]) -> Candidate:
    return Candidate(
        id=row["atom_id"],
        kind=UnitKind.ATOM,
        score=row["score"],
        evidence=EvidencePointer(kind=UnitKind.ATOM, atom_id=row["atom_id"], source=row["source"]),
        text=row["text"],
        domain=row["domain"],
        tags=frozenset(row["tags"] or ()),
    )


def _vector_literal(vector: Sequence[float]) -> str:
    if len(vector) != DIMENSION:
        raise ValueError(f"embedding has {len(vector)} dimensions, the index holds {DIMENSION}")
    return "[" + ",".join(repr(float(x)) for x in vector) + "]"


def _table(schema: str) -> sql.Composed:
    return sql.SQL("{}").format(sql.Identifier(check_schema_name(schema), "profile_atoms"))


def _first(row: Any) -> Any:
    # Callers' connections may return tuples or dicts.
    if row is None:
        return None
    return next(iter(row.values())) if isinstance(row, Mapping) else row[0]
