"""Hybrid search over one profile's experience atoms (seed 003 §7): lexical, semantic, one blend.

Lexical candidates come from Postgres full-text search; semantic ones from pgvector, after
the profile's atoms that have no embedding yet are embedded (lazily, here, because the
projector writes atoms from events alone and has no model). Without an embedder the search
is lexical-only and the audit says so (seed 003 §13).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import psycopg

from processors.embeddings.cache import CachedEmbedder
from processors.embeddings.provider import EmbeddingProvider
from processors.retrieval.atoms import atoms_from_profile
from processors.retrieval.audit import build_audit
from processors.retrieval.blend import blend
from processors.retrieval.lexical import lexical_query
from processors.retrieval.model import Candidate, Query, Result, get_preset
from projections import db
from projections.db import check_schema_name
from projections.read.profiles import profile_document
from projections.stores.embeddings import PgVectorStore
from projections.stores.retrieval import (
    lexical_candidates,
    missing_embeddings,
    semantic_candidates,
    set_embeddings,
)
from projections.write.atoms import atom_source, profile_or_none
from ray_jobs.embeddings.providers import MiniLMProvider
from schemas.errors import NotFound

# Seed 003's candidate pool sizes: wide lists before the blend, the caller's k after it.
LEXICAL_POOL = 100
SEMANTIC_POOL = 50


def search(
    dsn: str, schema: str, profile_id: str, query: str, *, preset: str, k: int, lexical_only: bool
) -> dict[str, Any]:
    """`search_profile` with the embedding model (MiniLM, cached in pgvector) unless `lexical_only`.

    Raises EmbeddingError when the model cannot be loaded.
    """
    if lexical_only:
        return search_profile(dsn, schema, profile_id, query, preset=preset, k=k)
    # The cache gets its own autocommit connection: vectors it stores are kept even if the
    # search itself fails later, so the model never has to embed the same text twice.
    with db.open_connection(dsn, autocommit=True) as store_conn:
        embedder = CachedEmbedder(MiniLMProvider(), PgVectorStore(store_conn, schema))
        return search_profile(dsn, schema, profile_id, query, preset=preset, k=k, embedder=embedder)


def search_profile(
    dsn: str,
    schema: str,
    profile_id: str,
    query: str,
    preset: str = "job_matching",
    k: int = 20,
    embedder: EmbeddingProvider | None = None,
) -> dict[str, Any]:
    """The `k` best atoms of `profile_id` for `query`, with evidence, provenance and the audit record.

    Raises NotFound (a LookupError) for an unknown profile and ValueError for an unknown preset,
    a blank query or a k below 1.
    """
    weights = get_preset(preset)
    if not query.strip():
        raise ValueError("the query is empty")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    schema = check_schema_name(schema)
    with db.connect(dsn) as conn:
        document = profile_document(conn, schema, profile_id)
        if document is None:
            raise NotFound(f"unknown profile {profile_id!r} (see `turing ingest profiles`)")
        lexical = lexical_candidates(conn, schema, profile_id, lexical_query(query), LEXICAL_POOL)
        semantic: list[Candidate] = []
        embedded = 0
        if embedder is not None:
            embedded = _fill_embeddings(conn, schema, profile_id, document, embedder)
            vector = embedder.embed([query])[0]
            semantic = semantic_candidates(
                conn, schema, profile_id, [float(x) for x in vector], SEMANTIC_POOL
            )
        conn.commit()
    ranking = blend(lexical, semantic, weights, query=Query(text=query), limit=k)
    audit = build_audit(
        trace_id=str(uuid.uuid4()),
        query_text=query,
        preset=weights,
        lexical=lexical,
        semantic=semantic,
        ranking=ranking,
        provider=embedder.name if embedder else None,
        model=embedder.model if embedder else None,
        dimension=embedder.dimension if embedder else None,
    )
    return {
        "profile_id": profile_id,
        "query": query,
        "preset": weights.name,
        "mode": "hybrid" if embedder is not None else "lexical",
        "embedded_atoms": embedded,
        "results": [_result_json(rank, r) for rank, r in enumerate(ranking, start=1)],
        "audit": audit.model_dump(mode="json"),
    }


def _fill_embeddings(
    conn: psycopg.Connection[Any],
    schema: str,
    profile_id: str,
    document: Mapping[str, Any],
    embedder: EmbeddingProvider,
) -> int:
    """Embed the profile's atoms that have no vector; returns how many rows took one.

    The rows keep only the lexical text, so the embedding input is rebuilt from the profile
    document; an atom whose hash differs (the document moved on since) is skipped, and
    `set_embeddings` checks the hash again when it writes.
    """
    missing = missing_embeddings(conn, schema, profile_id)
    if not missing:
        return 0
    profile = profile_or_none(profile_id, document)
    atoms = atoms_from_profile(atom_source(profile)) if profile is not None else []
    todo = [a for a in atoms if missing.get(a.atom_id) == a.content_hash]
    if not todo:
        return 0
    vectors = embedder.embed([a.embedding_text() for a in todo])
    return set_embeddings(
        conn,
        schema,
        profile_id,
        {a.atom_id: (a.content_hash, [float(x) for x in vectors[i]]) for i, a in enumerate(todo)},
    )


def _result_json(rank: int, result: Result) -> dict[str, Any]:
    evidence = result.evidence
    return {
        "rank": rank,
        "id": result.id,
        "score": result.s_final,
        "found_by": result.found_by,
        "text": result.text,
        "evidence": {
            "kind": evidence.kind.value,
            "atom_id": evidence.atom_id,
            "source": evidence.source,
            "text": result.text,
        },
        "scores": {"lexical": result.s_lex, "semantic": result.s_sem, "bonus": result.s_bonus},
        "provenance": [p.model_dump(mode="json") for p in result.provenance],
        "bonuses": [b.model_dump(mode="json") for b in result.bonuses],
    }
