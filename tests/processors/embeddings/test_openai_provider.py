"""The OpenAI-compatible provider against the FAKE embeddings server: configuration and failures."""

from __future__ import annotations

import numpy as np
import pytest

from infra.embedding_factory import provider_from_config
from processors.embeddings.provider import EmbeddingConfig, EmbeddingError
from ray_jobs.embeddings.providers import MiniLMProvider, OpenAIEmbeddingsProvider
from tests.processors.embeddings.fake_embeddings_server import FakeEmbeddingsServer, fake_vector


def test_batches_requests_and_sends_the_model(
    fake_server: FakeEmbeddingsServer, fake_openai: OpenAIEmbeddingsProvider
) -> None:
    texts = [f"text {i}" for i in range(7)]
    out = fake_openai.embed(texts)
    assert [len(r["input"]) for r in fake_server.requests] == [3, 3, 1]
    assert {r["model"] for r in fake_server.requests} == {"fake-embed-1"}
    assert all("dimensions" not in r for r in fake_server.requests)
    expected = np.asarray([fake_vector(t, 384) for t in texts], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_config_builds_it_with_key_and_dimensions(
    fake_server: FakeEmbeddingsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_EMBED_KEY", "sk-fake")
    provider = provider_from_config(
        {
            "provider": "openai",
            "base_url": fake_server.base_url + "/",
            "model": "fake-embed-1",
            "dimension": 384,
            "api_key_env": "FAKE_EMBED_KEY",
            "send_dimensions": True,
            "batch_size": 100,
        }
    )
    assert isinstance(provider, OpenAIEmbeddingsProvider)
    provider.embed(["a", "b"])
    assert fake_server.headers[0]["Authorization"] == "Bearer sk-fake"
    assert fake_server.requests[0]["dimensions"] == 384


def test_missing_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_KEY", raising=False)
    with pytest.raises(EmbeddingError, match="NO_SUCH_KEY"):
        provider_from_config({"provider": "openai", "api_key_env": "NO_SUCH_KEY"})


def test_default_config_is_the_local_minilm() -> None:
    provider = provider_from_config(None)
    assert isinstance(provider, MiniLMProvider)
    assert (provider.model, provider.dimension, provider.batch_size) == ("all-MiniLM-L6-v2", 384, 64)
    assert provider_from_config(EmbeddingConfig(batch_size=8)).batch_size == 8  # type: ignore[attr-defined]


def test_http_errors_are_embedding_errors(
    fake_server: FakeEmbeddingsServer, fake_openai: OpenAIEmbeddingsProvider
) -> None:
    fake_server.fail_status = 503
    with pytest.raises(EmbeddingError, match="503"):
        fake_openai.embed(["a"])


def test_wrong_dimension_is_refused(
    fake_server: FakeEmbeddingsServer, fake_openai: OpenAIEmbeddingsProvider
) -> None:
    fake_server.wrong_dimension = True
    with pytest.raises(EmbeddingError, match="384"):
        fake_openai.embed(["a"])


def test_timeout_is_an_embedding_error(fake_server: FakeEmbeddingsServer) -> None:
    fake_server.delay_s = 1.0
    provider = OpenAIEmbeddingsProvider(
        base_url=fake_server.base_url, model="m", dimension=384, timeout_s=0.2
    )
    with pytest.raises(EmbeddingError, match="Timeout"):
        provider.embed(["a"])
    provider.close()


def test_unreachable_endpoint_is_an_embedding_error() -> None:
    with FakeEmbeddingsServer() as server:
        url = server.base_url
    provider = OpenAIEmbeddingsProvider(base_url=url, model="m", dimension=384, timeout_s=2)
    with pytest.raises(EmbeddingError):
        provider.embed(["a"])
