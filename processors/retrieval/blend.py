"""Union, normalisation, bonuses and the weighted blend of lexical and semantic candidates.

Scoring is deterministic and reads nothing but its arguments (seed 003 §2): the same two
candidate lists give the same ranking whatever order they arrive in.

Normalisation (the seed asks for 0..1 and leaves the method open):
- S_lex is the candidate's ts_rank_cd divided by the best in its list. Ranks have a true
  zero, and min-max would give the weakest real keyword hit the same 0 as a unit lexical
  search never found.
- S_sem is the cosine similarity itself, with negative values read as 0 (no support).
- A retriever that did not return a unit contributes 0 for it; its component is not
  recomputed, so provenance and breakdown tell the same story.
"""

from __future__ import annotations

from collections.abc import Iterable

from processors.retrieval.model import (
    JOB_MATCHING,
    Bonuses,
    BonusReason,
    Candidate,
    Preset,
    Provenance,
    Query,
    Result,
    Retriever,
    get_preset,
)

DEFAULT_BONUSES = Bonuses()
# S_final is kept to this many places, so that sums equal on paper (0.5·0.5 + 0.5·0.5 and
# 0.5·1) tie in the ranking exactly as they print; ties go to evidence breadth, then id.
_PLACES = 12


def blend(
    lexical: Iterable[Candidate],
    semantic: Iterable[Candidate],
    preset: Preset | str = JOB_MATCHING,
    *,
    query: Query | None = None,
    bonuses: Bonuses = DEFAULT_BONUSES,
    limit: int | None = None,
) -> list[Result]:
    """Merge both candidate sets into one ranking, best first.

    Order: S_final descending, then units both retrievers found before those one found,
    then kind and id ascending.
    """
    weights = get_preset(preset) if isinstance(preset, str) else preset
    found = {Retriever.LEXICAL: _best_per_id(lexical), Retriever.SEMANTIC: _best_per_id(semantic)}
    top_lex = max((c.score for c in found[Retriever.LEXICAL]), default=0.0)

    provenance: dict[str, list[Provenance]] = {}
    units: dict[str, Candidate] = {}
    for retriever, candidates in found.items():
        for rank, cand in enumerate(candidates, start=1):
            norm = _lexical(cand.score, top_lex) if retriever is Retriever.LEXICAL else _semantic(cand.score)
            entry = Provenance(retriever=retriever, rank=rank, raw_score=cand.score, normalized=norm)
            provenance.setdefault(cand.id, []).append(entry)
            units.setdefault(cand.id, cand)  # the lexical copy wins: lists are walked lexical first

    results = []
    for unit_id, unit in units.items():
        prov = tuple(provenance[unit_id])
        parts = {p.retriever: p.normalized for p in prov}
        reasons = tuple(bonus_reasons(unit, query, bonuses)) if query is not None else ()
        s_lex = parts.get(Retriever.LEXICAL, 0.0)
        s_sem = parts.get(Retriever.SEMANTIC, 0.0)
        s_bonus = min(1.0, sum(r.value for r in reasons))
        s_final = weights.w_lex * s_lex + weights.w_sem * s_sem + weights.w_bonus * s_bonus
        results.append(
            Result(
                id=unit_id,
                kind=unit.kind,
                evidence=unit.evidence,
                text=unit.text,
                s_lex=s_lex,
                s_sem=s_sem,
                s_bonus=s_bonus,
                s_final=round(min(1.0, max(0.0, s_final)), _PLACES),
                provenance=prov,
                bonuses=reasons,
            )
        )
    results.sort(key=lambda r: (-r.s_final, -len(r.provenance), r.kind.value, r.id))
    return results if limit is None else results[:limit]


def bonus_reasons(unit: Candidate, query: Query, bonuses: Bonuses = DEFAULT_BONUSES) -> list[BonusReason]:
    """The bonuses a unit earns against a query, each with its value and why (seed 003 §7.4)."""
    reasons = []
    if query.domain and unit.domain and unit.domain.casefold() == query.domain.casefold():
        reasons.append(BonusReason(name="domain_match", value=bonuses.domain_match, detail=unit.domain))
    wanted = {t.casefold() for t in query.tags}
    if wanted:
        shared = sorted(wanted & {t.casefold() for t in unit.tags})
        if shared:
            value = bonuses.tag_overlap * len(shared) / len(wanted)
            detail = f"{len(shared)}/{len(wanted)}: {', '.join(shared)}"
            reasons.append(BonusReason(name="tag_overlap", value=value, detail=detail))
    if query.heading_path and unit.heading_path and _under(unit.heading_path, query.heading_path):
        reasons.append(BonusReason(name="heading_path", value=bonuses.heading_path, detail=unit.heading_path))
    if unit.pinned:
        reasons.append(BonusReason(name="pinned", value=bonuses.pinned, detail="pinned by the user"))
    return [r for r in reasons if r.value > 0]


def _under(path: str, area: str) -> bool:
    """Whether heading path `path` ("A > B > C") lies in `area` ("A > B"), compared part by part."""
    parts = [p.strip().casefold() for p in path.split(">")]
    prefix = [p.strip().casefold() for p in area.split(">")]
    return parts[: len(prefix)] == prefix


def _best_per_id(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per id (its best score), in the retriever's ranking: score down, id up."""
    best: dict[str, Candidate] = {}
    for cand in candidates:
        kept = best.get(cand.id)
        if kept is None or (cand.score, _order(cand)) > (kept.score, _order(kept)):
            best[cand.id] = cand
    return sorted(best.values(), key=lambda c: (-c.score, c.id))


def _order(cand: Candidate) -> str:
    # Between two copies with equal scores the choice must not depend on arrival order.
    return cand.model_dump_json()


def _lexical(score: float, top: float) -> float:
    return 0.0 if top <= 0 or score <= 0 else min(1.0, score / top)


def _semantic(similarity: float) -> float:
    return min(1.0, max(0.0, similarity))
