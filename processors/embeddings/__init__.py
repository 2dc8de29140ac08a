"""Embeddings (seed 001 §6, seed 003 §6): providers, a content-hash cache, the texts embedded.

The MiniLM provider needs the `embeddings` extra; nothing here imports torch or
sentence-transformers until a model is first used.
"""

from processors.embeddings.cache import (
    CachedEmbedder,
    CacheStats,
    InMemoryVectorStore,
    VectorStore,
    content_hash,
)
from processors.embeddings.provider import (
    EmbeddingConfig,
    EmbeddingError,
    EmbeddingProvider,
    MiniLMProvider,
    OpenAIEmbeddingsProvider,
    Vectors,
    provider_from_config,
)

__all__ = [
    "CacheStats",
    "CachedEmbedder",
    "EmbeddingConfig",
    "EmbeddingError",
    "EmbeddingProvider",
    "InMemoryVectorStore",
    "MiniLMProvider",
    "OpenAIEmbeddingsProvider",
    "VectorStore",
    "Vectors",
    "content_hash",
    "provider_from_config",
]
