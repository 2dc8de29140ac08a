"""Content-addressed embedding cache: unchanged text is never embedded twice.

The key is sha256 over the model identity (model id and dimension) and the normalised
text, so a model change misses the cache rather than mixing vector spaces. The text that
is embedded is the normalised text too, so the key always describes what was embedded.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from processors.embeddings.provider import EmbeddingProvider, Vectors


def normalise_text(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, trimmed. Case is kept: cased models see it."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(model: str, dimension: int, text: str) -> str:
    payload = f"{model}\x1f{dimension}\x1f{normalise_text(text)}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class VectorStore(Protocol):
    """Where cached vectors live: content hash -> vector."""

    def get_many(self, hashes: Sequence[str]) -> Mapping[str, Vectors]:
        """The vectors held for those hashes (1-d float32 each); missing hashes are absent."""
        ...

    def put_many(self, items: Sequence[tuple[str, str, Vectors]]) -> None:
        """Store (content_hash, model, vector) triples; an existing hash is left as it is."""
        ...


class InMemoryVectorStore:
    """A dict behind a lock: tests, one-off scripts and the benchmark's pure figures."""

    def __init__(self) -> None:
        self._vectors: dict[str, Vectors] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def get_many(self, hashes: Sequence[str]) -> dict[str, Vectors]:
        with self._lock:
            return {h: self._vectors[h] for h in hashes if h in self._vectors}

    def put_many(self, items: Sequence[tuple[str, str, Vectors]]) -> None:
        with self._lock:
            for h, _model, vector in items:
                self._vectors.setdefault(h, np.asarray(vector, dtype=np.float32).copy())


@dataclass
class CacheStats:
    requested: int = 0  # texts asked for, duplicates included
    hits: int = 0  # distinct texts found in the store
    embedded: int = 0  # distinct texts sent to the provider
    provider_calls: int = 0

    @property
    def hit_rate(self) -> float:
        looked_up = self.hits + self.embedded
        return self.hits / looked_up if looked_up else 0.0


class CachedEmbedder:
    """An EmbeddingProvider that asks its provider only for texts the store does not hold.

    Duplicates within one call are embedded once as well. It satisfies the
    EmbeddingProvider protocol itself, so callers need not know the cache is there.
    """

    def __init__(self, provider: EmbeddingProvider, store: VectorStore) -> None:
        self.provider = provider
        self.store = store
        self.stats = CacheStats()

    @property
    def name(self) -> str:
        return self.provider.name

    @property
    def model(self) -> str:
        return self.provider.model

    @property
    def dimension(self) -> int:
        return self.provider.dimension

    def hash_of(self, text: str) -> str:
        return content_hash(self.provider.model, self.provider.dimension, text)

    def embed(self, texts: Sequence[str]) -> Vectors:
        hashes = [self.hash_of(t) for t in texts]
        self.stats.requested += len(texts)
        first_text: dict[str, str] = {}
        for h, t in zip(hashes, texts, strict=True):
            first_text.setdefault(h, normalise_text(t))
        found = dict(self.store.get_many(list(first_text)))
        self.stats.hits += len(found)
        missing = [h for h in first_text if h not in found]
        if missing:
            fresh = self.provider.embed([first_text[h] for h in missing])
            self.stats.embedded += len(missing)
            self.stats.provider_calls += 1
            self.store.put_many([(h, self.provider.model, fresh[i]) for i, h in enumerate(missing)])
            found.update(zip(missing, fresh, strict=True))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out

    def embed_or_neutral(self, texts: Sequence[str]) -> Vectors:
        """Like `embed`, but a blank text gets the neutral zero vector and costs no lookup.

        Seed 001 §6.4: a posting without culture text must not be embedded from something
        else; a zero vector has cosine similarity 0 with everything, a neutral signal (and
        pgvector's HNSW index skips zero vectors, so it is never a kNN candidate).
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        present = [i for i, t in enumerate(texts) if normalise_text(t)]
        if present:
            out[present] = self.embed([texts[i] for i in present])
        return out

    def embed_kinds(self, texts: Mapping[str, str]) -> dict[str, tuple[str, Vectors]]:
        """kind -> text (from `texts.profile_texts` / `posting_texts`) to kind -> (content hash, vector).

        Blank texts get the neutral zero vector (see `embed_or_neutral`); all kinds share one
        provider call.
        """
        kinds = list(texts)
        vectors = self.embed_or_neutral([texts[k] for k in kinds])
        return {k: (self.hash_of(texts[k]), vectors[i]) for i, k in enumerate(kinds)}
