"""Ranking metrics for skill linking (Decorte et al.): R-Precision@K and MRR over sentences.

R-Precision@K of a sentence with gold labels G: of the first min(K, |G|) ranked labels, the
share that are in G. MRR: 1 / rank of the first gold label (0 when none is ranked).
Sentences without any gold label are left out, as the benchmark does. Labels compare
after `normalise` (case, accents, separators).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from processors.linking.corpora import LinkingSentence
from processors.taxonomy.text import normalise


def r_precision(ranked: Sequence[str], gold: frozenset[str], k: int = 5) -> float:
    want = {normalise(g) for g in gold}
    cut = min(k, len(want))
    if cut == 0:
        raise ValueError("R-precision needs at least one gold label")
    return sum(1 for label in ranked[:cut] if normalise(label) in want) / cut


def reciprocal_rank(ranked: Sequence[str], gold: frozenset[str]) -> float:
    want = {normalise(g) for g in gold}
    return next((1.0 / r for r, label in enumerate(ranked, start=1) if normalise(label) in want), 0.0)


@dataclass(frozen=True)
class LinkingReport:
    sentences: int  # with at least one gold label
    rp5: float
    mrr: float
    unreachable: int  # gold labels the taxonomy lacks (renamed or dropped since the corpus)

    def as_dict(self) -> dict[str, float | int]:
        return {"sentences": self.sentences, "rp5": round(self.rp5, 4), "mrr": round(self.mrr, 4),
                "unreachable_gold": self.unreachable}  # fmt: skip


def evaluate(
    sentences: Sequence[LinkingSentence],
    rank: Callable[[Sequence[str]], list[list[str]]],
    known: Callable[[str], bool],
) -> LinkingReport:
    """`rank` maps sentences to ranked labels (batched); `known` says if a label exists in the taxonomy."""
    scored = [s for s in sentences if s.gold]
    if not scored:
        raise ValueError("no sentence has a gold label")
    ranked = rank([s.sentence for s in scored])
    rp = [r_precision(r, s.gold) for r, s in zip(ranked, scored, strict=True)]
    rr = [reciprocal_rank(r, s.gold) for r, s in zip(ranked, scored, strict=True)]
    unreachable = sum(1 for s in scored for g in s.gold if not known(g))
    return LinkingReport(len(scored), sum(rp) / len(rp), sum(rr) / len(rr), unreachable)
