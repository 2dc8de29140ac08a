"""Embeddings (seed 001 §6, seed 003 §6): the provider protocol, a content-hash cache, the texts embedded.

The providers (MiniLM, which needs the `embeddings` extra, and OpenAI-compatible endpoints)
are adapters in `ray_jobs/embeddings/`.
"""

from processors.embeddings.cache import (
    CachedEmbedder,
    CacheStats,
    InMemoryVectorStore,
    VectorStore,
    content_hash,
)
from processors.embeddings.provider import EmbeddingConfig, EmbeddingError, EmbeddingProvider, Vectors

__all__ = [
    "CacheStats",
    "CachedEmbedder",
    "EmbeddingConfig",
    "EmbeddingError",
    "EmbeddingProvider",
    "InMemoryVectorStore",
    "VectorStore",
    "Vectors",
    "content_hash",
]
