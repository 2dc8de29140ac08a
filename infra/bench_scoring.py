"""`python -m infra.bench_scoring`: fit scoring throughput, vectorised against per pair.

Measured in one run, on the same deterministic synthetic profiles and derived postings
(`infra.bench_scoring_data`), with the default configuration (every extension on) and the
default lexical similarity:
- `fit_matrix` over every profile x posting pair: pairs/s and the matrix's memory;
- `fit_reference`, the per-pair evaluation of the same formulas, on a seeded random sample
  of those pairs (the whole batch would take too long): pairs/s, the ratio, and the two
  compared on the sample (blocked pairs are NaN on both sides and count as equal);
- the full `score()` (explanation and suggestions included) on a smaller sample, for context;
- peak RSS of this process.
Progress goes to stderr; the figures are one JSON object on stdout. Exit status 1 when the
two implementations disagree on the sample.

The default batch is 100 x 2,000 pairs, not the issue's example 200 x 5,000: `fit_matrix`
runs at a few thousand pairs/s on this data (the hard-skills credit loop over posting skill
x profile vocabulary dominates), so a million pairs takes minutes. Pass `--profiles 200
--postings 5000` for the larger batch.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from infra.bench_scoring_data import generate
from processors.scoring.batch import fit_matrix, fit_reference
from processors.scoring.config import DEFAULT, ScoringConfig
from processors.scoring.models import DerivedPosting, Profile
from processors.scoring.score import score
from processors.scoring.similarity import lexical_similarity
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy

console = Console(stderr=True)
MIB = 1024 * 1024
# Recency needs a reference day; a fixed one keeps runs comparable (the domain never reads the clock).
AS_OF = date(2026, 1, 1)
# The two implementations sum the same terms in a different order; more than this is a real difference.
TOLERANCE = 1e-9
Pairs = list[tuple[int, int]]


def say(msg: str) -> None:
    console.log(f"[dim]{msg}[/]")


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else float("inf")


def sample_pairs(n_profiles: int, n_postings: int, k: int, rng: np.random.Generator) -> Pairs:
    """k distinct (profile, posting) index pairs, uniformly at random (all of them when k >= P x Q)."""
    total = n_profiles * n_postings
    flat = rng.choice(total, size=min(k, total), replace=False)
    return [(int(f) // n_postings, int(f) % n_postings) for f in flat]


def _by_profile(pairs: Pairs) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for i, j in pairs:
        groups.setdefault(i, []).append(j)
    return groups


def bench_matrix(
    profiles: list[Profile],
    postings: list[DerivedPosting],
    config: ScoringConfig,
    taxonomy: Taxonomy,
) -> tuple[dict[str, Any], npt.NDArray[np.float64]]:
    n = len(profiles) * len(postings)
    say(f"fit_matrix: {len(profiles)} profiles x {len(postings)} postings = {n:,} pairs")
    rss0 = peak_rss_mib()
    t0 = time.perf_counter()
    matrix = fit_matrix(profiles, postings, config, lexical_similarity, taxonomy)
    seconds = time.perf_counter() - t0
    scored = matrix[~np.isnan(matrix)]
    return {
        "pairs": n,
        "seconds": round(seconds, 3),
        "pairs_per_s": _rate(n, seconds),
        "matrix_mib": round(matrix.nbytes / MIB, 2),
        "peak_rss_growth_mib": round(peak_rss_mib() - rss0, 1),
        "blocked_share": round(1 - scored.size / n, 4) if n else 0.0,
        "fit_mean": round(float(scored.mean()), 2) if scored.size else None,
        "fit_p50": round(float(np.median(scored)), 2) if scored.size else None,
        "fit_p95": round(float(np.percentile(scored, 95)), 2) if scored.size else None,
    }, matrix


def bench_reference(
    profiles: list[Profile],
    postings: list[DerivedPosting],
    pairs: Pairs,
    config: ScoringConfig,
    taxonomy: Taxonomy,
) -> tuple[dict[str, Any], npt.NDArray[np.float64]]:
    """Per pair on the sample; one `fit_reference` call per sampled profile with its sampled postings."""
    say(f"fit_reference: {len(pairs):,} sampled pairs, one evaluation each")
    groups = _by_profile(pairs)
    found: dict[tuple[int, int], float] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reference pairs", total=len(pairs))
        t0 = time.perf_counter()
        for i, js in groups.items():
            row = fit_reference(
                [profiles[i]], [postings[j] for j in js], config, lexical_similarity, taxonomy
            )
            found.update(((i, j), float(v)) for j, v in zip(js, row[0], strict=True))
            progress.advance(task, len(js))
        seconds = time.perf_counter() - t0
    values = np.array([found[p] for p in pairs], dtype=float)
    return {
        "pairs": len(pairs),
        "seconds": round(seconds, 3),
        "pairs_per_s": _rate(len(pairs), seconds),
    }, values


def compare(fast: npt.NDArray[np.float64], slow: npt.NDArray[np.float64]) -> dict[str, Any]:
    """Blocked (NaN) on both sides counts as equal; a NaN on one side only is a mismatch."""
    nan_fast, nan_slow = np.isnan(fast), np.isnan(slow)
    both = ~nan_fast & ~nan_slow
    diff = np.abs(fast[both] - slow[both])
    max_diff = float(diff.max()) if diff.size else 0.0
    mismatched_blocks = int((nan_fast != nan_slow).sum())
    return {
        "pairs": int(fast.size),
        "blocked_on_both": int((nan_fast & nan_slow).sum()),
        "blocked_mismatches": mismatched_blocks,
        "max_abs_diff": max_diff,
        "bitwise_identical": int((fast[both] == slow[both]).sum() + (nan_fast & nan_slow).sum()),
        "tolerance": TOLERANCE,
        "equal": mismatched_blocks == 0 and max_diff <= TOLERANCE,
    }


def bench_score(
    profiles: list[Profile],
    postings: list[DerivedPosting],
    pairs: Pairs,
    config: ScoringConfig,
    taxonomy: Taxonomy,
    matrix: npt.NDArray[np.float64],
) -> dict[str, Any]:
    """The whole answer per pair, explanation and suggestions (each an exact re-score) included."""
    say(f"score(): {len(pairs)} sampled pairs with explanations and suggestions")
    suggestions = 0
    disagree = 0
    t0 = time.perf_counter()
    for i, j in pairs:
        r = score(profiles[i], postings[j], config, lexical_similarity, taxonomy=taxonomy)
        suggestions += len(r.suggestions)
        exact = np.nan if r.fit.exact is None else r.fit.exact
        same = (np.isnan(exact) and np.isnan(matrix[i, j])) or abs(exact - matrix[i, j]) <= TOLERANCE
        disagree += not same
    seconds = time.perf_counter() - t0
    return {
        "pairs": len(pairs),
        "seconds": round(seconds, 3),
        "pairs_per_s": _rate(len(pairs), seconds),
        "ms_per_pair": round(seconds * 1000 / len(pairs), 3) if pairs else None,
        "suggestions_per_pair": round(suggestions / len(pairs), 2) if pairs else None,
        "fit_disagreements_with_matrix": disagree,
    }


def _warm(
    profiles: list[Profile], postings: list[DerivedPosting], config: ScoringConfig, tax: Taxonomy
) -> None:
    """Fill the taxonomy's lazy indexes and imports once, so neither timed side pays for them."""
    ps, qs = profiles[:2], postings[:10]
    fit_matrix(ps, qs, config, lexical_similarity, tax)
    fit_reference(ps, qs, config, lexical_similarity, tax)
    if ps and qs:
        score(ps[0], qs[0], config, lexical_similarity, taxonomy=tax)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Fit scoring throughput: vectorised fit_matrix vs per pair.")
    p.add_argument("--profiles", type=int, default=100, help="Synthetic profiles (default 100).")
    p.add_argument("--postings", type=int, default=2000, help="Synthetic derived postings (default 2000).")
    p.add_argument(
        "--reference-sample",
        type=int,
        default=20000,
        help="Pairs the per-pair reference scores (default 20000).",
    )
    p.add_argument(
        "--score-sample", type=int, default=500, help="Pairs the full score() runs on (default 500)."
    )
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--out", type=Path, default=None, help="Also write the JSON result here.")
    args = p.parse_args(argv)
    if min(args.profiles, args.postings) < 1 or min(args.reference_sample, args.score_sample) < 1:
        p.error("--profiles, --postings and both samples must be at least 1")

    taxonomy = store.builtin()  # the figures are the built-in taxonomy's
    config = DEFAULT.model_copy(update={"as_of": AS_OF})
    t0 = time.perf_counter()
    profiles, postings = generate(args.profiles, args.postings, taxonomy, args.seed)
    generate_s = time.perf_counter() - t0
    say(f"generated {len(profiles)} profiles and {len(postings)} postings in {generate_s:.2f}s")
    _warm(profiles, postings, config, taxonomy)

    result: dict[str, Any] = {
        "parameters": {
            "profiles": args.profiles,
            "postings": args.postings,
            "reference_sample": args.reference_sample,
            "score_sample": args.score_sample,
            "seed": args.seed,
            "similarity": "lexical",
            "taxonomy": repr(taxonomy),
            "extensions": {
                "adjacency_credit": config.adjacency_credit,
                "proof_stack_layers": config.proof_stack_layers,
                "recency_evidence": config.recency_evidence,
            },
            "as_of": AS_OF.isoformat(),
        },
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
        },
        "data": {
            "generate_seconds": round(generate_s, 3),
            "profile_skills_mean": round(float(np.mean([len(x.skills) for x in profiles])), 2),
            "posting_skills_mean": round(float(np.mean([len(x.extracted_skills) for x in postings])), 2),
        },
    }
    result["vectorised"], matrix = bench_matrix(profiles, postings, config, taxonomy)
    rng = np.random.default_rng(args.seed)
    pairs = sample_pairs(len(profiles), len(postings), args.reference_sample, rng)
    result["reference"], slow = bench_reference(profiles, postings, pairs, config, taxonomy)
    fast = np.array([matrix[i, j] for i, j in pairs], dtype=float)
    result["comparison"] = compare(fast, slow)
    v, r = result["vectorised"]["pairs_per_s"], result["reference"]["pairs_per_s"]
    result["ratio_vectorised_vs_reference"] = round(v / r, 2) if r else None
    score_pairs = sample_pairs(len(profiles), len(postings), args.score_sample, rng)
    result["full_score"] = bench_score(profiles, postings, score_pairs, config, taxonomy, matrix)
    result["peak_rss_mib"] = peak_rss_mib()

    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    if not result["comparison"]["equal"]:
        console.print("[red]fit_matrix and fit_reference differ on the sample[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
