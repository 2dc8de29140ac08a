"""What the rest of Turing needs from an embedding model: one small protocol and its settings.

Every provider returns float32 arrays of shape (n, dimension) with L2-normalised rows, so
cosine similarity is a dot product everywhere downstream. Each call is logged with the
provider, model, dimension, batch size and latency (seed 003 §6.2). The providers themselves
(a local MiniLM, any OpenAI-compatible endpoint) are adapters: `ray_jobs/embeddings/`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
MINILM_MODEL = "all-MiniLM-L6-v2"
MINILM_DIMENSION = 384


class EmbeddingError(RuntimeError):
    """A provider could not produce the embeddings it was asked for."""


@runtime_checkable
class EmbeddingProvider(Protocol):
    """What the rest of Turing needs from an embedding model."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """(len(texts), dimension) float32, rows L2-normalised, in input order."""
        ...


def l2_normalise(vectors: npt.ArrayLike) -> Vectors:
    """Rows scaled to unit length; an all-zero row stays zero rather than becoming NaN."""
    arr = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return np.ascontiguousarray(arr / np.where(norms == 0, 1.0, norms), dtype=np.float32)


def batches(texts: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


def log_call(provider: EmbeddingProvider, batch_size: int, n: int, started: float) -> None:
    log.info(
        "embed provider=%s model=%s dimension=%d batch_size=%d texts=%d latency_ms=%.1f",
        provider.name,
        provider.model,
        provider.dimension,
        batch_size,
        n,
        (time.perf_counter() - started) * 1000,
    )


class EmbeddingConfig(BaseModel):
    """Settings section `[embeddings]`: which provider embeds, and how."""

    provider: Literal["minilm", "openai"] = "minilm"
    model: str = Field(default=MINILM_MODEL, description="model id sent to the endpoint / logged")
    dimension: int = Field(default=MINILM_DIMENSION, ge=1, description="part of the index identity")
    batch_size: int = Field(default=64, ge=1, le=4096)
    model_path: str | None = Field(
        default=None, description="minilm: a local model dir (default: the wheel's)"
    )
    device: str = "cpu"
    base_url: str = Field(default="http://127.0.0.1:8000/v1", description="openai: ends with /v1")
    api_key_env: str | None = Field(default=None, description="openai: env variable holding the API key")
    timeout_s: float = Field(default=30.0, gt=0)
    send_dimensions: bool = False
