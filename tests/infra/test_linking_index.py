"""The skill matrix is embedded once and then found: shipped, or in the cache by its key."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from infra import linking_index
from processors.embeddings.provider import Vectors
from processors.taxonomy import store
from processors.taxonomy.model import Skill, Taxonomy
from ray_jobs.embeddings.providers import MiniLMProvider


class Counting:
    """The real MiniLM, counting the texts it is asked to embed."""

    def __init__(self, inner: MiniLMProvider) -> None:
        self.inner, self.texts = inner, 0
        self.name, self.model, self.dimension = inner.name, inner.model, inner.dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def minilm() -> MiniLMProvider:
    return MiniLMProvider()


def small_taxonomy(extra_synonym: str = "") -> Taxonomy:
    skills = [store.builtin().skills[c] for c in sorted(store.builtin().skills)[:12]]
    first = skills[0]
    skills[0] = Skill(
        first.code, first.name, (*first.synonyms, extra_synonym) if extra_synonym else first.synonyms
    )
    return Taxonomy.from_skills(skills, source="small")


def test_a_second_run_embeds_no_skill_text(tmp_path, minilm):
    provider = Counting(minilm)
    first, where = linking_index.load_vectors(small_taxonomy(), provider, tmp_path)
    assert where == "embedded" and provider.texts == 2 * 12  # each skill's name and text
    provider.texts = 0
    again, where = linking_index.load_vectors(small_taxonomy(), provider, tmp_path)
    assert where == "cache" and provider.texts == 0
    assert again.key == first.key
    assert np.allclose(again.matrix, first.matrix, atol=2e-3)  # stored as float16


def test_a_changed_taxonomy_is_a_different_matrix(tmp_path, minilm):
    provider = Counting(minilm)
    a, _ = linking_index.load_vectors(small_taxonomy(), provider, tmp_path)
    b, where = linking_index.load_vectors(small_taxonomy("another name"), provider, tmp_path)
    assert where == "embedded" and a.key != b.key
    assert len(list(tmp_path.glob("vectors-*.npy"))) == 2


def test_a_truncated_cache_file_is_rebuilt_not_trusted(tmp_path, minilm):
    provider = Counting(minilm)
    built, _ = linking_index.load_vectors(small_taxonomy(), provider, tmp_path)
    path = tmp_path / linking_index.file_name(provider.model, built.key)
    np.save(path, built.matrix[:3].astype(np.float16))
    _, where = linking_index.load_vectors(small_taxonomy(), provider, tmp_path)
    assert where == "embedded"


def test_shipped_esco_needs_no_embedding(tmp_path, minilm):
    provider = Counting(minilm)
    vectors, where = linking_index.load_vectors(store.esco(), provider, tmp_path)
    assert where == "shipped" and provider.texts == 0
    assert vectors.matrix.shape == (len(store.esco().skills), 384)
    assert np.allclose(np.linalg.norm(vectors.matrix, axis=1), 1.0, atol=1e-5)
