"""Embeddings in PostgreSQL (pgvector): the content-hash cache, the vectors in force, kNN.

Tables come from migration 0004 in a projection schema. Every function takes the schema
explicitly, as the projector and rebuild code do, so a rebuild can fill a fresh schema
while the live one serves queries.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.rows import tuple_row

from processors.embeddings.provider import Vectors
from projections.db import check_schema_name

Entity = Literal["profile", "posting"]
DIMENSION = 384  # the tables' vector(384): the dimension is part of the index identity
_TABLES: dict[str, tuple[str, str]] = {
    "profile": ("profile_embeddings", "profile_id"),
    "posting": ("posting_embeddings", "posting_id"),
}
# pgvector's default ef_search is 40; kNN asks for at least 2k candidates so recall holds for large k.
MIN_EF_SEARCH = 40
MAX_EF_SEARCH = 1000


_registered: weakref.WeakSet[psycopg.Connection[Any]] = weakref.WeakSet()


def ensure_vector_type(conn: psycopg.Connection[Any]) -> None:
    """Teach the connection the `vector` type once (registering costs a catalogue query)."""
    if conn not in _registered:
        register_vector(conn)
        _registered.add(conn)


def _from_db(value: Any) -> Vectors:
    # pgvector returns its Vector wrapper for binary results and numpy arrays for text ones.
    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy else value, dtype=np.float32)


def _table(entity: Entity) -> tuple[str, str]:
    if entity not in _TABLES:
        raise ValueError(f"entity must be 'profile' or 'posting', not {entity!r}")
    return _TABLES[entity]


def _check_dimension(vector: Vectors) -> None:
    if vector.shape != (DIMENSION,):
        raise ValueError(
            f"the embedding tables hold {DIMENSION}-dimensional vectors, got shape {vector.shape}; "
            "a model with another dimension needs its own migration"
        )


def _as_vector(vector: Any) -> Vectors:
    arr = np.asarray(vector, dtype=np.float32)
    _check_dimension(arr)
    return arr


class PgVectorStore:
    """The `VectorStore` of `processors.embeddings.cache` on the schema's `embedding_cache`.

    Writes go through `conn.transaction()`: committed at once on an idle connection, a
    savepoint inside a caller's transaction.
    """

    def __init__(self, conn: psycopg.Connection[Any], schema: str) -> None:
        self.conn = conn
        self.schema = check_schema_name(schema)
        ensure_vector_type(conn)

    def get_many(self, hashes: Sequence[str]) -> dict[str, Vectors]:
        if not hashes:
            return {}
        query = sql.SQL("SELECT content_hash, vector FROM {}.embedding_cache WHERE content_hash = ANY(%s)")
        with self.conn.cursor(row_factory=tuple_row) as cur:  # callers' connections may yield dict rows
            rows = cur.execute(query.format(sql.Identifier(self.schema)), (list(hashes),)).fetchall()
        return {h: _from_db(v) for h, v in rows}

    def put_many(self, items: Sequence[tuple[str, str, Vectors]]) -> None:
        if not items:
            return
        query = sql.SQL(
            "INSERT INTO {}.embedding_cache (content_hash, model, dim, vector) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (content_hash) DO NOTHING"
        ).format(sql.Identifier(self.schema))
        params = [(h, model, DIMENSION, _as_vector(v)) for h, model, v in items]
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(query, params)

    def __len__(self) -> int:
        query = sql.SQL("SELECT count(*) FROM {}.embedding_cache").format(sql.Identifier(self.schema))
        row = self.conn.execute(query).fetchone()
        return int(row[0]) if row else 0


def upsert_embeddings(
    conn: psycopg.Connection[Any],
    schema: str,
    entity: Entity,
    entity_id: str,
    version: int,
    rows: Mapping[str, tuple[str, Vectors]],
    model: str,
) -> int:
    """Store kind -> (content hash, vector) (`CachedEmbedder.embed_kinds`'s answer) for one entity.

    A row from an older version than the stored one is ignored, so replays and out-of-order
    deliveries cannot move an entity back in time. Returns the rows written.
    """
    table, id_col = _table(entity)
    query = sql.SQL(
        "INSERT INTO {schema}.{table} AS t ({id}, version, kind, content_hash, model, embedding) "
        "VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT ({id}, kind) DO UPDATE SET version = excluded.version, "
        "content_hash = excluded.content_hash, model = excluded.model, embedding = excluded.embedding "
        "WHERE t.version <= excluded.version"
    ).format(
        schema=sql.Identifier(check_schema_name(schema)),
        table=sql.Identifier(table),
        id=sql.Identifier(id_col),
    )
    ensure_vector_type(conn)
    params = [(entity_id, version, kind, h, model, _as_vector(v)) for kind, (h, v) in rows.items()]
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(query, params)
        return max(cur.rowcount, 0)


def upsert_profile_embeddings(
    conn: psycopg.Connection[Any],
    schema: str,
    profile_id: str,
    version: int,
    rows: Mapping[str, tuple[str, Vectors]],
    model: str,
) -> int:
    return upsert_embeddings(conn, schema, "profile", profile_id, version, rows, model)


def upsert_posting_embeddings(
    conn: psycopg.Connection[Any],
    schema: str,
    posting_id: str,
    version: int,
    rows: Mapping[str, tuple[str, Vectors]],
    model: str,
) -> int:
    return upsert_embeddings(conn, schema, "posting", posting_id, version, rows, model)


def load_embeddings(
    conn: psycopg.Connection[Any], schema: str, entity: Entity, entity_id: str
) -> dict[str, tuple[int, str, Vectors]]:
    """kind -> (version, content hash, vector) stored for one profile or posting."""
    table, id_col = _table(entity)
    query = sql.SQL("SELECT kind, version, content_hash, embedding FROM {}.{} WHERE {} = %s").format(
        sql.Identifier(check_schema_name(schema)), sql.Identifier(table), sql.Identifier(id_col)
    )
    ensure_vector_type(conn)
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(query, (entity_id,)).fetchall()
    return {kind: (version, h, _from_db(v)) for kind, version, h, v in rows}


def knn(
    conn: psycopg.Connection[Any],
    schema: str,
    kind: str,
    vector: Any,
    k: int = 10,
    *,
    entity: Entity = "posting",
    ef_search: int | None = None,
) -> list[tuple[str, float]]:
    """The k entities whose `kind` embedding is nearest to `vector`: [(id, cosine distance)], nearest first.

    Uses the table's HNSW index (approximate). The index covers every kind, so the kind
    filter runs on its output: iterative scan (pgvector 0.8) keeps reading the index until k
    rows pass it. A zero query vector (the neutral culture vector) has no neighbours: [].
    """
    if k < 1:
        return []
    query_vec = _as_vector(vector)
    if not np.any(query_vec):
        return []
    table, id_col = _table(entity)
    ef = min(MAX_EF_SEARCH, max(MIN_EF_SEARCH, 2 * k, ef_search or 0))
    query = sql.SQL(
        "SELECT {id}, embedding <=> %s AS distance FROM {schema}.{table} "
        "WHERE kind = %s ORDER BY embedding <=> %s LIMIT %s"
    ).format(
        schema=sql.Identifier(check_schema_name(schema)),
        table=sql.Identifier(table),
        id=sql.Identifier(id_col),
    )
    ensure_vector_type(conn)
    with conn.transaction():
        # SET LOCAL cannot take bind parameters; ef is an int we computed.
        conn.execute(sql.SQL("SET LOCAL hnsw.ef_search = {}").format(sql.Literal(ef)))
        conn.execute("SET LOCAL hnsw.iterative_scan = strict_order")
        with conn.cursor(row_factory=tuple_row) as cur:
            rows = cur.execute(query, (query_vec, kind, query_vec, k)).fetchall()
    # Stored zero vectors give NaN distances when the planner picks a sequential scan.
    return [(str(i), float(d)) for i, d in rows if not math.isnan(d)]
