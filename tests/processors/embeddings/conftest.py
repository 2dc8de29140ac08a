"""One MiniLM model per test session (loading it takes seconds) and the fake endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ray_jobs.embeddings.providers import MiniLMProvider, OpenAIEmbeddingsProvider
from tests.processors.embeddings.fake_embeddings_server import FakeEmbeddingsServer


@pytest.fixture(scope="session")
def minilm() -> MiniLMProvider:
    return MiniLMProvider(batch_size=16)


@pytest.fixture()
def fake_server() -> Iterator[FakeEmbeddingsServer]:
    with FakeEmbeddingsServer() as server:
        yield server


@pytest.fixture()
def fake_openai(fake_server: FakeEmbeddingsServer) -> Iterator[OpenAIEmbeddingsProvider]:
    provider = OpenAIEmbeddingsProvider(
        base_url=fake_server.base_url, model="fake-embed-1", dimension=384, batch_size=3, timeout_s=5
    )
    yield provider
    provider.close()
