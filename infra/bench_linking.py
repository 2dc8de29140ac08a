"""`python -m infra.bench_linking`: skill-linker speed and memory, against the peer method in the same run.

A benchmark, not a test. It times, on the shipped ESCO build: loading the taxonomy, building
the lexical index, loading the skill matrix (the ESCO index), and the file sizes; then the
linker on requirement lines and on public job-ad sentences, cold (every window embedded)
and warm (the same lines again: the window vectors come from the cache, the linker's answers
are recomputed) and repeated (answered from the linker's memory of lines seen); and, as the
reference, the zero-shot peer's method on the same sentences and the same loaded model
(each sentence embedded, cosine against every skill label). With `--lily`, Lily's
`hybrid-1` ruleset against `rules-1` on the same lines, both warm. Progress goes to
stderr; the figures are one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from infra.bench import machine
from infra.corpora import LINKING_SOURCES, esco_linking
from infra.linking_index import load_vectors, shipped_dir
from processors.embeddings.cache import CachedEmbedder, InMemoryVectorStore
from processors.linking.lexical import LexicalIndex
from processors.linking.linker import Linker
from processors.linking.vectors import ordered_skills
from processors.taxonomy import store
from ray_jobs.embeddings.providers import MiniLMProvider

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data" / "lily_labelled.jsonl"


def say(message: str) -> None:
    print(f"[bench_linking] {message}", file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def requirement_lines() -> list[str]:
    return [
        json.loads(line)["text"] for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else float("inf")


def linker_figures(linker: Linker, lines: Sequence[str], what: str) -> dict[str, Any]:
    linker.forget()
    _, cold = timed(lambda: linker.link_many(lines, top=5))
    linker.forget()  # warm: the window vectors are cached, the answers are not
    _, warm = timed(lambda: linker.link_many(lines, top=5))
    _, repeat = timed(lambda: linker.link_many(lines, top=5))  # the same lines answered from memory
    say(f"{what}: {len(lines)} lines, cold {cold:.1f} s, warm {warm:.2f} s, repeated {repeat:.3f} s")
    return {
        "lines": len(lines),
        "cold_lines_per_s": rate(len(lines), cold),
        "warm_lines_per_s": rate(len(lines), warm),
        "repeated_lines_per_s": rate(len(lines), repeat),
    }


def peer_figures(provider: MiniLMProvider, skills: Sequence[Any], sentences: Sequence[str]) -> dict[str, Any]:
    labels, label_s = timed(lambda: provider.embed([s.name for s in skills]))

    def rank() -> list[np.ndarray]:
        q = provider.embed(list(sentences))
        return [np.argsort(-row)[:5] for row in q @ labels.T]

    _, seconds = timed(rank)
    return {"label_embedding_s": round(label_s, 1), "lines_per_s": rate(len(sentences), seconds)}


def lily_figures(linker: Linker, lines: Sequence[str], rounds: int) -> dict[str, Any]:
    from processors.lily import hybrid, rules

    taxonomy = store.builtin()
    runs: dict[str, Callable[[], Any]] = {
        "rules-1": lambda: [rules.decompose(x, taxonomy, ruleset="rules-1") for x in lines],
        "hybrid-1": lambda: hybrid.decompose_many(lines, linker, taxonomy),
    }
    out: dict[str, Any] = {"lines": len(lines)}
    for ruleset, run in runs.items():
        run()  # warm: the window vectors cached, the model loaded
        best = float("inf")
        for _ in range(rounds):
            linker.forget()  # the linker's answers are not reused: only the window vectors are
            best = min(best, timed(run)[1])
        out[ruleset] = {"warm_lines_per_s": rate(len(lines), best)}
        say(f"lily {ruleset}: {out[ruleset]['warm_lines_per_s']} lines/s warm")
    out["hybrid_vs_rules"] = round(
        out["hybrid-1"]["warm_lines_per_s"] / out["rules-1"]["warm_lines_per_s"], 3
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lily", action="store_true", help="also Lily hybrid-1 against rules-1")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    result: dict[str, Any] = {"machine": machine()}
    store.esco.cache_clear()
    taxonomy, load_s = timed(store.esco)
    skills = ordered_skills(taxonomy)
    _, lexical_s = timed(lambda: LexicalIndex.build(skills))
    provider = MiniLMProvider()
    (vectors, where), matrix_s = timed(lambda: load_vectors(taxonomy, provider))
    build = store.esco_build_path()
    matrix_files = list(shipped_dir().glob("vectors-*.npy"))
    result["index"] = {
        "skills": len(skills),
        "taxonomy_load_s": round(load_s, 2),
        "lexical_build_s": round(lexical_s, 2),
        "matrix_load_s": round(matrix_s, 2),
        "matrix_from": where,
        "taxonomy_file_mib": round(build.stat().st_size / 2**20, 2),
        "matrix_file_mib": round(sum(f.stat().st_size for f in matrix_files) / 2**20, 2),
        "matrix_in_memory_mib": round(vectors.matrix.nbytes / 2**20, 1),
    }
    say(f"index: {result['index']}")
    linker, init_s = timed(lambda: Linker(taxonomy, vectors, CachedEmbedder(provider, InMemoryVectorStore())))
    result["index"]["linker_init_s"] = round(init_s, 2)
    provider.embed(["warm the model up"])

    lines = requirement_lines()
    sentences = [s.sentence for source in LINKING_SOURCES for s in esco_linking(source)]
    result["linker"] = {
        "requirement_lines": linker_figures(linker, lines, "requirement lines"),
        "job_ad_sentences": linker_figures(linker, sentences, "job-ad sentences"),
    }
    peer = peer_figures(provider, skills, sentences)
    result["peer_sentence_vs_labels"] = peer
    result["linker"]["cold_vs_peer"] = round(
        result["linker"]["job_ad_sentences"]["cold_lines_per_s"] / peer["lines_per_s"], 3
    )
    if args.lily:
        result["lily"] = lily_figures(linker, lines, args.rounds)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
