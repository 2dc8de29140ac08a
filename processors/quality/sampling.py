"""QA sampling (seed 004): findings on six dimensions over a step's outputs.

| dimension | catches | severity |
| --- | --- | --- |
| longest | verbosity, loops | medium above twice the median length, else info |
| shortest | truncation, failures | medium below half the median length, else info |
| slowest | a model struggling | medium above three times the median latency, else info |
| fastest | shortcuts, cached answers | low below a tenth of the median latency, else info |
| most_similar | copy-paste, template artefacts | high at similarity >= 0.85, medium >= 0.6, else info |
| random | the baseline | info |

Similarity is the Jaccard index of word 3-shingles, between outputs of different postings (two
versions of one posting are meant to read alike). The random draw is seeded, so the same
sample over the same outputs draws the same items. A finding's id derives from the target, the
dimension and what it samples: sampling again finds the same finding, not a new one.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from schemas.models import deterministic_id

SAMPLER = "qa-sampler-1"
DIMENSIONS: tuple[str, ...] = ("longest", "shortest", "slowest", "fastest", "most_similar", "random")
TARGETS: tuple[str, ...] = ("summary", "requirements", "lily", "match")
SEVERITIES: tuple[str, ...] = ("high", "medium", "low", "info")
MAX_SIMILAR_ITEMS = 2000  # pairs are found through shared shingles, never all n² of them


@dataclass(frozen=True)
class Item:
    """One sampled output: the decision or derivation (or match) that holds it."""

    ref_id: str
    subject_id: str  # the posting the output belongs to (for a match: profile/posting)
    posting_id: str
    step: str  # the step that produced it: where a remediation starts
    text: str
    latency_ms: float | None


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)
    finding_id: str
    target: str
    dimension: str
    severity: str
    ref_id: str
    subject_id: str
    posting_id: str
    step: str
    value: float
    other_ref_id: str | None = None
    similarity: float | None = None
    note: str


def short_id(finding_uuid: str) -> str:
    """The id people type: the first 8 hex digits of the finding's deterministic UUID."""
    return finding_uuid.replace("-", "")[:8]


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def similar_pairs(items: Sequence[Item], n: int) -> list[tuple[Item, Item, float]]:
    """The n most similar pairs (by shingle Jaccard); pairs sharing no shingle are never compared."""
    pool = list(items)[:MAX_SIMILAR_ITEMS]
    sets = [_shingles(i.text) for i in pool]
    index: dict[str, list[int]] = defaultdict(list)
    for k, s in enumerate(sets):
        for sh in s:
            index[sh].append(k)
    candidates: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > 200:
            continue  # a shingle in everything (boilerplate) says nothing about a pair
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                # Two versions of one posting are meant to read alike: only pairs across postings count.
                if pool[members[x]].posting_id != pool[members[y]].posting_id:
                    candidates.add((members[x], members[y]))
    scored = sorted(
        ((jaccard(sets[a], sets[b]), pool[a].ref_id, pool[b].ref_id, a, b) for a, b in candidates),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    return [(pool[a], pool[b], round(sim, 4)) for sim, _, _, a, b in scored[:n]]


def _finding(target: str, dimension: str, item: Item, severity: str, value: float, note: str,
             other: Item | None = None, similarity: float | None = None) -> Finding:  # fmt: skip
    parts = [item.ref_id, other.ref_id] if other is not None else [item.ref_id]
    fid = str(deterministic_id("qa-finding", target, dimension, *sorted(parts)))
    return Finding(
        finding_id=fid,
        target=target,
        dimension=dimension,
        severity=severity,
        ref_id=item.ref_id,
        subject_id=item.subject_id,
        posting_id=item.posting_id,
        step=item.step,
        value=round(value, 4),
        other_ref_id=other.ref_id if other is not None else None,
        similarity=similarity,
        note=note,
    )


def sample(target: str, items: Sequence[Item], per_dimension: int, seed: int = 0) -> list[Finding]:
    """Up to `per_dimension` findings per dimension, ties broken by ref id (deterministic)."""
    if target not in TARGETS:
        raise ValueError(f"target {target!r} is not one of {', '.join(TARGETS)}")
    if per_dimension < 1:
        raise ValueError("per_dimension must be at least 1")
    items = sorted(items, key=lambda i: i.ref_id)
    out: list[Finding] = []
    if not items:
        return out
    lengths = [len(i.text) for i in items]
    mid_len = statistics.median(lengths)
    by_len = sorted(items, key=lambda i: (-len(i.text), i.ref_id))
    for i in by_len[:per_dimension]:
        sev = "medium" if len(i.text) > 2 * mid_len else "info"
        out.append(
            _finding(target, "longest", i, sev, len(i.text), f"{len(i.text)} chars (median {mid_len:g})")
        )
    for i in sorted(items, key=lambda i: (len(i.text), i.ref_id))[:per_dimension]:
        sev = "medium" if len(i.text) < 0.5 * mid_len else "info"
        out.append(
            _finding(target, "shortest", i, sev, len(i.text), f"{len(i.text)} chars (median {mid_len:g})")
        )
    timed = [i for i in items if i.latency_ms is not None]
    if timed:
        mid_ms = statistics.median(i.latency_ms or 0.0 for i in timed)
        for i in sorted(timed, key=lambda i: (-(i.latency_ms or 0.0), i.ref_id))[:per_dimension]:
            ms = i.latency_ms or 0.0
            sev = "medium" if ms > 3 * mid_ms and ms > 0 else "info"
            out.append(_finding(target, "slowest", i, sev, ms, f"{ms:.1f} ms (median {mid_ms:.1f})"))
        for i in sorted(timed, key=lambda i: (i.latency_ms or 0.0, i.ref_id))[:per_dimension]:
            ms = i.latency_ms or 0.0
            sev = "low" if ms < 0.1 * mid_ms else "info"
            out.append(_finding(target, "fastest", i, sev, ms, f"{ms:.1f} ms (median {mid_ms:.1f})"))
    for a, b, sim in similar_pairs(items, per_dimension):
        sev = "high" if sim >= 0.85 else "medium" if sim >= 0.6 else "info"
        out.append(_finding(target, "most_similar", a, sev, sim, f"{sim:.0%} similar to {b.ref_id}", b, sim))
    rng = random.Random(seed)
    for i in rng.sample(items, min(per_dimension, len(items))):
        out.append(_finding(target, "random", i, "info", len(i.text), "baseline sample"))
    return out
