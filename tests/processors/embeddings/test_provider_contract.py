"""The EmbeddingProvider contract, run against every implementation (and the cache in front of one)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from processors.embeddings.cache import CachedEmbedder, InMemoryVectorStore
from processors.embeddings.provider import EmbeddingProvider

TEXTS = [
    "Python developer",
    "Kubernetes (Proficient) | PostgreSQL (Expert)",
    "Remote preference: Hybrid OK\nLocation: Berlin, DE",
    "We value kindness, curiosity and a four-day week.",
    "x",
]


@pytest.fixture(params=["minilm", "fake-openai", "cached-minilm"])
def provider(request: pytest.FixtureRequest) -> EmbeddingProvider:
    if request.param == "cached-minilm":
        return CachedEmbedder(request.getfixturevalue("minilm"), InMemoryVectorStore())
    return request.getfixturevalue(request.param.replace("-", "_"))


def test_satisfies_the_protocol(provider: EmbeddingProvider) -> None:
    assert isinstance(provider, EmbeddingProvider)
    assert provider.name and provider.model
    assert provider.dimension == 384


def test_shape_dtype_and_unit_length(provider: EmbeddingProvider) -> None:
    out = provider.embed(TEXTS)
    assert out.shape == (len(TEXTS), provider.dimension)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(provider: EmbeddingProvider) -> None:
    out = provider.embed([])
    assert out.shape == (0, provider.dimension)
    assert out.dtype == np.float32


def test_batch_equals_one_by_one_and_keeps_order(provider: EmbeddingProvider) -> None:
    together = provider.embed(TEXTS)
    alone = np.stack([provider.embed([t])[0] for t in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    reversed_ = provider.embed(TEXTS[::-1])
    np.testing.assert_allclose(reversed_[::-1], together, atol=1e-5)


def test_distinct_texts_get_distinct_vectors(provider: EmbeddingProvider) -> None:
    out = provider.embed(TEXTS)
    similarity = out @ out.T
    off_diagonal = similarity[~np.eye(len(TEXTS), dtype=bool)]
    assert off_diagonal.max() < 0.99


def test_each_call_is_logged(provider: EmbeddingProvider, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="processors.embeddings.provider"):
        provider.embed([f"a text never embedded before in this session: {provider.name}"])
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("embed "))
    for field in ("provider=", "model=", "dimension=384", "batch_size=", "latency_ms="):
        assert field in line
