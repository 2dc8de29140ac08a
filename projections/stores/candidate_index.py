"""The matcher's CandidateIndex: profile and posting embeddings in pgvector (HNSW).

An index, not a projection: it is a deterministic function of the versions it was built
from (model and text are in each row's content hash) and can be dropped and rebuilt, so it
stays out of the rebuild checksum, like the embedding cache.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from processors.embeddings.cache import CachedEmbedder, InMemoryVectorStore
from processors.embeddings.similarity import EmbeddingSimilarity
from processors.embeddings.texts import posting_texts, profile_texts
from processors.matching.match import PostingVersion, ProfileVersion
from projections import db
from projections.stores.embeddings import (
    PgVectorStore,
    knn,
    upsert_posting_embeddings,
    upsert_profile_embeddings,
)


class EmbeddingIndex:
    def __init__(self, dsn: str, schema: str, provider_factory: Any):
        self.dsn, self.schema = dsn, schema
        self._factory = provider_factory
        self._provider: Any = None
        self._similarity: EmbeddingSimilarity | None = None

    def _embedder(self, conn: Any) -> CachedEmbedder:
        if self._provider is None:
            self._provider = self._factory()  # the model loads on first use (seconds, ~1 GB)
        return CachedEmbedder(self._provider, PgVectorStore(conn, self.schema))

    def embedder(self) -> CachedEmbedder:
        """A memory-cached embedder on the same model, for scoring similarity between short texts."""
        if self._provider is None:
            self._provider = self._factory()
        return CachedEmbedder(self._provider, InMemoryVectorStore())

    def similarity(self) -> EmbeddingSimilarity:
        """Embedding similarity for the scorer, memoised across batches."""
        if self._similarity is None:
            self._similarity = EmbeddingSimilarity(self.embedder())
        return self._similarity

    def index_profiles(self, profiles: list[ProfileVersion]) -> int:
        """Embed the profiles whose current version is not in the index yet; returns how many.

        Candidates come from kNN over what is indexed, so a posting matched before a profile's
        own trigger was handled must still find it: the index never lags the projection."""
        with db.connect(self.dsn) as conn:
            have = self._indexed(conn, "profile", [p.profile_id for p in profiles])
            todo = [p for p in profiles if have.get(p.profile_id) != p.version]
            if todo:
                embedder = self._embedder(conn)
                for p in todo:
                    rows = embedder.embed_kinds(profile_texts(p.profile.model_dump(mode="json")))
                    upsert_profile_embeddings(
                        conn, self.schema, p.profile_id, p.version, rows, embedder.model
                    )
                conn.commit()
        return len(todo)

    def unindexed_postings(self) -> list[str]:
        """Open postings whose derivation in force is not in the index yet."""
        s = sql.Identifier(self.schema)
        with db.connect(self.dsn) as conn:
            rows = conn.execute(
                sql.SQL(
                    "SELECT d.posting_id FROM {s}.derivations_latest d JOIN {s}.postings p USING (posting_id) "
                    "LEFT JOIN (SELECT posting_id, min(version) AS v FROM {s}.posting_embeddings GROUP BY 1) e "
                    "USING (posting_id) WHERE p.status = 'open' AND e.v IS DISTINCT FROM d.version ORDER BY 1"
                ).format(s=s)
            )
            return [r["posting_id"] for r in rows]

    def index_postings(self, postings: list[PostingVersion]) -> None:
        with db.connect(self.dsn) as conn:
            embedder = self._embedder(conn)
            for q in postings:
                rows = embedder.embed_kinds(posting_texts(q.posting.model_dump(mode="json")))
                upsert_posting_embeddings(conn, self.schema, q.posting_id, q.version, rows, embedder.model)
            conn.commit()

    def _indexed(self, conn: Any, entity: str, ids: list[str]) -> dict[str, int]:
        rows = conn.execute(
            sql.SQL("SELECT {id} AS id, min(version) AS v FROM {t} WHERE {id} = ANY(%s) GROUP BY 1").format(
                id=sql.Identifier(f"{entity}_id"), t=sql.Identifier(self.schema, f"{entity}_embeddings")
            ),
            (ids,),
        )
        return {r["id"]: r["v"] for r in rows}

    def postings_near(self, profiles: list[ProfileVersion], k: int) -> dict[str, list[str]]:
        """Index the profiles; the k postings whose requirements are nearest each one's hard skills."""
        out: dict[str, list[str]] = {}
        with db.connect(self.dsn) as conn:
            embedder = self._embedder(conn)
            for p in profiles:
                rows = embedder.embed_kinds(profile_texts(p.profile.model_dump(mode="json")))
                upsert_profile_embeddings(conn, self.schema, p.profile_id, p.version, rows, embedder.model)
                hard = rows.get("hard_skills")
                out[p.profile_id] = (
                    [pid for pid, _ in knn(conn, self.schema, "requirements", hard[1], k)] if hard else []
                )
            conn.commit()
        return out

    def profiles_near(self, postings: list[PostingVersion], k: int) -> dict[str, list[str]]:
        """Index the postings; the k profiles whose hard skills are nearest each one's requirements."""
        out: dict[str, list[str]] = {}
        with db.connect(self.dsn) as conn:
            embedder = self._embedder(conn)
            for q in postings:
                rows = embedder.embed_kinds(posting_texts(q.posting.model_dump(mode="json")))
                upsert_posting_embeddings(conn, self.schema, q.posting_id, q.version, rows, embedder.model)
                req = rows.get("requirements")
                near = knn(conn, self.schema, "hard_skills", req[1], k, entity="profile") if req else []
                out[q.posting_id] = [pid for pid, _ in near]
            conn.commit()
        return out
