"""CachedEmbedder: unchanged text is never embedded twice; the key is model + normalised text."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from processors.embeddings.cache import CachedEmbedder, InMemoryVectorStore, content_hash, normalise_text
from processors.embeddings.provider import EmbeddingProvider, Vectors, l2_normalise
from tests.processors.embeddings.fake_embeddings_server import fake_vector


class CountingProvider:
    """A pure stand-in provider (hash-derived vectors) that records every text it is asked for."""

    name = "counting"

    def __init__(self, model: str = "count-1", dimension: int = 8) -> None:
        self.model = model
        self.dimension = dimension
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        return l2_normalise([fake_vector(t, self.dimension) for t in texts]).reshape(
            len(texts), self.dimension
        )

    @property
    def embedded(self) -> list[str]:
        return [t for call in self.calls for t in call]


@pytest.fixture()
def counting() -> CountingProvider:
    return CountingProvider()


def test_unchanged_text_is_never_embedded_twice(counting: CountingProvider) -> None:
    cached = CachedEmbedder(counting, InMemoryVectorStore())
    first = cached.embed(["Python", "SQL"])
    second = cached.embed(["SQL", "Python", "Go"])
    assert counting.embedded == ["Python", "SQL", "Go"]
    assert len(counting.calls) == 2
    np.testing.assert_array_equal(second[:2], first[::-1])
    cached.embed(["Go", "Python"])
    assert len(counting.calls) == 2
    assert (cached.stats.hits, cached.stats.embedded, cached.stats.provider_calls) == (4, 3, 2)
    assert cached.stats.hit_rate == pytest.approx(4 / 7)


def test_duplicates_within_a_call_are_embedded_once(counting: CountingProvider) -> None:
    cached = CachedEmbedder(counting, InMemoryVectorStore())
    out = cached.embed(["Rust", "Rust", " Rust  ", "Zig"])
    assert counting.embedded == ["Rust", "Zig"]
    np.testing.assert_array_equal(out[0], out[2])


def test_whitespace_and_unicode_forms_share_a_key_but_case_does_not() -> None:
    assert normalise_text("  Caf\u0065\u0301\n\tbar ") == "Caf\u00e9 bar"
    assert content_hash("m", 8, "Café  bar") == content_hash("m", 8, " Cafe\u0301 bar")
    assert content_hash("m", 8, "Go") != content_hash("m", 8, "go")


def test_another_model_or_dimension_misses_the_cache(counting: CountingProvider) -> None:
    store = InMemoryVectorStore()
    CachedEmbedder(counting, store).embed(["Python"])
    other = CountingProvider(model="count-2")
    CachedEmbedder(other, store).embed(["Python"])
    wider = CountingProvider(dimension=16)
    CachedEmbedder(wider, store).embed(["Python"])
    assert len(store) == 3
    assert other.embedded == ["Python"] and wider.embedded == ["Python"]


def test_a_shared_store_serves_a_second_embedder(counting: CountingProvider) -> None:
    store = InMemoryVectorStore()
    CachedEmbedder(counting, store).embed(["Python"])
    again = CountingProvider()
    CachedEmbedder(again, store).embed(["Python"])
    assert again.calls == []


def test_blank_texts_get_the_neutral_zero_vector_without_a_call(counting: CountingProvider) -> None:
    cached = CachedEmbedder(counting, InMemoryVectorStore())
    out = cached.embed_or_neutral(["", "Teamwork", "   "])
    assert counting.embedded == ["Teamwork"]
    assert not out[0].any() and not out[2].any()
    assert np.linalg.norm(out[1]) == pytest.approx(1.0, abs=1e-6)
    assert cached.embed_or_neutral(["", ""]).shape == (2, 8)
    assert len(counting.calls) == 1


def test_embed_kinds_returns_hashes_and_vectors(counting: CountingProvider) -> None:
    cached = CachedEmbedder(counting, InMemoryVectorStore())
    rows = cached.embed_kinds({"requirements": "Required: Python", "culture": "", "title": "Data Engineer"})
    assert list(rows) == ["requirements", "culture", "title"]
    assert len(counting.calls) == 1
    h, _ = rows["title"]
    assert h == cached.hash_of("Data Engineer")
    assert not rows["culture"][1].any()


def test_the_cache_is_itself_a_provider(counting: CountingProvider) -> None:
    cached = CachedEmbedder(counting, InMemoryVectorStore())
    assert isinstance(cached, EmbeddingProvider)
    assert (cached.name, cached.model, cached.dimension) == ("counting", "count-1", 8)
