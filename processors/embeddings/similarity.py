"""Semantic similarity for scoring (seed 001: soft skills, titles, culture) from embeddings."""

from __future__ import annotations

import numpy as np

from processors.embeddings.cache import CachedEmbedder


class EmbeddingSimilarity:
    """cos(a, b) of unit vectors, clipped to [0, 1]; an empty side shares nothing (0.0)."""

    def __init__(self, embedder: CachedEmbedder):
        self.embedder = embedder
        self._memo: dict[tuple[str, str], float] = {}

    def __call__(self, a: str, b: str, /) -> float:
        if not a.strip() or not b.strip():
            return 0.0
        key = (a, b) if a <= b else (b, a)
        if key not in self._memo:
            va, vb = self.embedder.embed([a, b])
            self._memo[key] = float(np.clip(np.dot(va, vb), 0.0, 1.0))
        return self._memo[key]
