"""Where the linker's skill matrix comes from: shipped, cached on disk, or embedded once.

A matrix is named by its key (`processors/linking/vectors.py`: taxonomy content and
model). Looked for, in order: the files shipped beside the ESCO build
(`processors/taxonomy/data/esco/vectors-<model>-<key16>.npy`), the cache folder
(`TURING_LINKING_CACHE`, default `.data/linking`), and only then embedded and written
to the cache, so a second run embeds no skill text.

    python -m infra.linking_index build [--taxonomy esco|builtin]   # regenerate the shipped file
"""

from __future__ import annotations

import argparse
import os
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from processors.embeddings.cache import CachedEmbedder, InMemoryVectorStore
from processors.embeddings.provider import EmbeddingProvider
from processors.linking.linker import Linker
from processors.linking.vectors import SkillVectors, embed_skills, ordered_skills, vectors_key
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy
from ray_jobs.embeddings.providers import MiniLMProvider

CACHE_ENV = "TURING_LINKING_CACHE"


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV, "").strip() or ".data/linking")


def shipped_dir() -> Path:
    return store.esco_build_path().parent


def file_name(model: str, key: str) -> str:
    return f"vectors-{model}-{key[:16]}.npy"


def _read(path: Path, key: str, model: str, rows: int) -> SkillVectors | None:
    if not path.is_file():
        return None
    matrix = np.load(path, allow_pickle=False).astype(np.float32)
    if matrix.shape[0] != rows:
        return None  # a truncated or foreign file is rebuilt, not trusted
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)  # float16 storage rounds the norms
    return SkillVectors(key, model, matrix / np.where(norms == 0, 1.0, norms))


def load_vectors(
    taxonomy: Taxonomy, provider: EmbeddingProvider, cache: Path | None = None
) -> tuple[SkillVectors, str]:
    """The skill matrix for `taxonomy` and `provider`, and where it came from (shipped | cache | embedded)."""
    skills = ordered_skills(taxonomy)
    key = vectors_key(skills, provider.model, provider.dimension)
    name = file_name(provider.model, key)
    found = _read(shipped_dir() / name, key, provider.model, len(skills))
    if found is not None:
        return found, "shipped"
    folder = cache or cache_dir()
    found = _read(folder / name, key, provider.model, len(skills))
    if found is not None:
        return found, "cache"
    built = embed_skills(skills, provider)
    write(built, folder / name)
    return built, "embedded"


def write(vectors: SkillVectors, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npy")
    np.save(partial, vectors.matrix.astype(np.float16), allow_pickle=False)
    partial.replace(path)  # never leave a half-written matrix under the real name


@lru_cache(maxsize=2)
def default_linker(taxonomy_name: str = "esco") -> Linker:
    """The linker over a shipped taxonomy with the local MiniLM; query windows are cached in memory."""
    taxonomy = store.shipped(taxonomy_name)
    provider = MiniLMProvider()
    vectors, _ = load_vectors(taxonomy, provider)
    return Linker(taxonomy, vectors, CachedEmbedder(provider, InMemoryVectorStore()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the linker's skill matrix for a shipped taxonomy.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--taxonomy", choices=list(store.SHIPPED), default="esco")
    args = parser.parse_args(argv)
    taxonomy = store.shipped(args.taxonomy)
    provider = MiniLMProvider()
    started = time.perf_counter()
    vectors = embed_skills(ordered_skills(taxonomy), provider)
    target = (shipped_dir() if args.taxonomy == "esco" else cache_dir()) / file_name(
        provider.model, vectors.key
    )
    for old in target.parent.glob(f"vectors-{provider.model}-*.npy"):
        old.unlink()
    write(vectors, target)
    print(f"{target}: {vectors.matrix.shape[0]} skills embedded in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
