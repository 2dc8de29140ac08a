"""Properties of the blend over random candidate lists, queries and presets."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.retrieval import PRESETS, Candidate, EvidencePointer, Query, Retriever, UnitKind, blend

IDS = [f"u{i}" for i in range(12)]
TAGS = ["go", "sql", "kafka", "rust", "lead"]


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[Candidate], list[Candidate], Query | None, str]:
    # Metadata belongs to the unit, so both retrievers see the same one.
    meta: dict[str, dict[str, Any]] = {
        i: {
            "domain": draw(st.sampled_from([None, "01", "02"])),
            "tags": frozenset(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
            "pinned": draw(st.booleans()),
        }
        for i in IDS
    }

    def cand(id_: str, score: float) -> Candidate:
        evidence = EvidencePointer(kind=UnitKind.ATOM, atom_id=id_, source=f"atoms[{id_}]")
        return Candidate(id=id_, score=score, evidence=evidence, **meta[id_])

    lex_scores = st.floats(0, 5, allow_nan=False)
    sem_scores = st.floats(-1, 1, allow_nan=False)
    lexical = [
        cand(i, s) for i, s in draw(st.lists(st.tuples(st.sampled_from(IDS), lex_scores), max_size=10))
    ]
    semantic = [
        cand(i, s) for i, s in draw(st.lists(st.tuples(st.sampled_from(IDS), sem_scores), max_size=10))
    ]
    query = draw(
        st.none()
        | st.builds(
            Query,
            domain=st.sampled_from([None, "01", "02"]),
            tags=st.frozensets(st.sampled_from(TAGS), max_size=3),
        )
    )
    return lexical, semantic, query, draw(st.sampled_from(sorted(PRESETS)))


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_blend_properties(case):
    lexical, semantic, query, preset_name = case
    preset = PRESETS[preset_name]
    results = blend(lexical, semantic, preset_name, query=query)

    finals = [r.s_final for r in results]
    assert finals == sorted(finals, reverse=True)
    ids = [r.id for r in results]
    assert len(ids) == len(set(ids))
    assert set(ids) == {c.id for c in lexical} | {c.id for c in semantic}
    lex_ids, sem_ids = {c.id for c in lexical}, {c.id for c in semantic}
    for r in results:
        assert 0 <= r.s_lex <= 1 and 0 <= r.s_sem <= 1 and 0 <= r.s_bonus <= 1 and 0 <= r.s_final <= 1
        assert r.provenance
        retrievers = [p.retriever for p in r.provenance]
        assert len(retrievers) == len(set(retrievers))
        assert (Retriever.LEXICAL in retrievers) == (r.id in lex_ids)
        assert (Retriever.SEMANTIC in retrievers) == (r.id in sem_ids)
        assert r.found_by == ("both" if r.id in lex_ids & sem_ids else retrievers[0].value)
        expected = preset.w_lex * r.s_lex + preset.w_sem * r.s_sem + preset.w_bonus * r.s_bonus
        assert r.s_final == pytest.approx(expected)
        assert r.s_bonus == pytest.approx(min(1.0, sum(b.value for b in r.bonuses)))


@settings(max_examples=200, deadline=None)
@given(scenario(), st.randoms(use_true_random=False))
def test_blend_ignores_arrival_order(case, rnd):
    lexical, semantic, query, preset_name = case
    shuffled_lex, shuffled_sem = list(lexical), list(semantic)
    rnd.shuffle(shuffled_lex)
    rnd.shuffle(shuffled_sem)
    assert blend(shuffled_lex, shuffled_sem, preset_name, query=query) == blend(
        lexical, semantic, preset_name, query=query
    )


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_a_better_raw_score_never_lowers_a_unit(case):
    lexical, semantic, query, preset_name = case
    if not semantic:
        return
    target = semantic[0]
    boosted = [*semantic, target.model_copy(update={"score": min(1.0, target.score + 0.25)})]
    before = {r.id: r.s_final for r in blend(lexical, semantic, preset_name, query=query)}
    after = {r.id: r.s_final for r in blend(lexical, boosted, preset_name, query=query)}
    assert after[target.id] >= before[target.id] - 1e-12
