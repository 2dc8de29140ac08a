"""The blend of lexical and semantic candidates (seed 003 §7-8), with hand-computed numbers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from processors.retrieval import (
    JOB_MATCHING,
    PRESETS,
    WRITING_CORPUS,
    Bonuses,
    Candidate,
    EvidencePointer,
    Preset,
    Query,
    Retriever,
    UnitKind,
    blend,
    bonus_reasons,
    get_preset,
)


def atom(id_: str, score: float, **extra) -> Candidate:
    return Candidate(
        id=id_,
        score=score,
        evidence=EvidencePointer(kind=UnitKind.ATOM, atom_id=id_, source=f"atoms[{id_}]"),
        **extra,
    )


def chunk(id_: str, score: float, heading: str = "Intro") -> Candidate:
    evidence = EvidencePointer(
        kind=UnitKind.CHUNK, relative_path="notes/a.md", start_line=3, end_line=9, heading_path=heading
    )
    return Candidate(id=id_, kind=UnitKind.CHUNK, score=score, evidence=evidence, heading_path=heading)


LEXICAL = [atom("A", 0.4), atom("B", 0.2), atom("C", 0.1)]
SEMANTIC = [atom("B", 0.9), atom("D", 0.6), atom("A", -0.2)]


def test_presets_are_the_seeds():
    assert (JOB_MATCHING.w_lex, JOB_MATCHING.w_sem, JOB_MATCHING.w_bonus) == (0.55, 0.35, 0.10)
    assert (WRITING_CORPUS.w_lex, WRITING_CORPUS.w_sem, WRITING_CORPUS.w_bonus) == (0.35, 0.55, 0.10)
    assert set(PRESETS) == {"job_matching", "writing_corpus"}
    assert get_preset("writing_corpus") is WRITING_CORPUS
    with pytest.raises(ValueError, match="known: job_matching, writing_corpus"):
        get_preset("balanced")
    with pytest.raises(ValidationError, match="sum to"):
        Preset(name="bad", w_lex=0.6, w_sem=0.6, w_bonus=0.0)


def test_job_matching_by_hand():
    # S_lex = rank / best rank: A 0.4/0.4 = 1, B 0.5, C 0.25. S_sem = cosine, negatives as 0.
    # B: 0.55*0.5 + 0.35*0.9 = 0.59; A: 0.55*1 = 0.55; D: 0.35*0.6 = 0.21; C: 0.55*0.25 = 0.1375
    results = blend(LEXICAL, SEMANTIC, "job_matching")
    assert [r.id for r in results] == ["B", "A", "D", "C"]
    assert [r.s_final for r in results] == pytest.approx([0.59, 0.55, 0.21, 0.1375])
    b = results[0]
    assert (b.s_lex, b.s_sem, b.s_bonus) == (0.5, 0.9, 0.0)
    a = results[1]
    assert (a.s_lex, a.s_sem) == (1.0, 0.0)  # found by both, but the negative cosine adds nothing


def test_writing_corpus_by_hand():
    # B: 0.35*0.5 + 0.55*0.9 = 0.67; A: 0.35; D: 0.55*0.6 = 0.33; C: 0.35*0.25 = 0.0875
    results = blend(LEXICAL, SEMANTIC, WRITING_CORPUS)
    assert [r.id for r in results] == ["B", "A", "D", "C"]
    assert [r.s_final for r in results] == pytest.approx([0.67, 0.35, 0.33, 0.0875])


def test_presets_can_reorder():
    lexical = [atom("kw", 1.0)]
    semantic = [atom("para", 0.9)]
    # job: kw 0.55 vs para 0.315; corpus: kw 0.35 vs para 0.495
    assert [r.id for r in blend(lexical, semantic, JOB_MATCHING)] == ["kw", "para"]
    assert [r.id for r in blend(lexical, semantic, WRITING_CORPUS)] == ["para", "kw"]


def test_provenance_and_union():
    results = {r.id: r for r in blend(LEXICAL, SEMANTIC)}
    assert set(results) == {"A", "B", "C", "D"}
    b = results["B"]
    assert b.found_by == "both"
    assert [(p.retriever, p.rank, p.raw_score, p.normalized) for p in b.provenance] == [
        (Retriever.LEXICAL, 2, 0.2, 0.5),
        (Retriever.SEMANTIC, 1, 0.9, 0.9),
    ]
    assert results["C"].found_by == "lexical"
    assert results["D"].found_by == "semantic"
    assert results["D"].evidence.source == "atoms[D]"


def test_duplicates_within_a_list_keep_their_best_score():
    results = blend([atom("A", 0.1), atom("A", 0.3), atom("B", 0.6)], [])
    assert [(r.id, r.s_lex) for r in results] == [("B", 1.0), ("A", 0.5)]
    assert [p.raw_score for p in results[1].provenance] == [0.3]


def test_bonuses_by_hand():
    query = Query(domain="01", tags=frozenset({"go", "kafka", "sql"}))
    cand = atom("A", 1.0, domain="01", tags=frozenset({"Go", "Kafka", "docker"}), pinned=True)
    reasons = {r.name: r for r in bonus_reasons(cand, query)}
    assert set(reasons) == {"domain_match", "tag_overlap", "pinned"}
    assert reasons["tag_overlap"].value == pytest.approx(0.3 * 2 / 3)
    assert reasons["tag_overlap"].detail == "2/3: go, kafka"
    # S_bonus = 0.3 + 0.2 + 0.2 = 0.7; job: 0.55*1 + 0.10*0.7 = 0.62
    (result,) = blend([cand], [], query=query)
    assert result.s_bonus == pytest.approx(0.7)
    assert result.s_final == pytest.approx(0.62)


def test_heading_bonus_compares_whole_parts():
    query = Query(heading_path="Systems Thesis")
    assert [r.name for r in bonus_reasons(chunk("c1", 1, "systems thesis > AI"), query)] == ["heading_path"]
    assert bonus_reasons(chunk("c2", 1, "Systems > Thesis"), query) == []
    assert bonus_reasons(chunk("c3", 1, "Systems Thesis Two"), query) == []


def test_bonus_values_are_configuration():
    only_pins = Bonuses(domain_match=0, tag_overlap=0, heading_path=0, pinned=1.0)
    (result,) = blend(
        [atom("A", 1.0, domain="01", pinned=True)], [], query=Query(domain="01"), bonuses=only_pins
    )
    assert [b.name for b in result.bonuses] == ["pinned"]
    assert result.s_final == pytest.approx(0.55 + 0.10)
    with pytest.raises(ValidationError, match=r"within 0\.\.1"):
        Bonuses(domain_match=0.5, tag_overlap=0.5, heading_path=0.5, pinned=0)


def test_ties_break_by_breadth_then_kind_then_id():
    even = Preset(name="even", w_lex=0.5, w_sem=0.5, w_bonus=0.0)
    # Every unit scores 0.5: P lexical 2/2 -> 0.5; R lexical 1/2 and semantic 0.5 -> 0.5;
    # Q and Z semantic 1.0 -> 0.5.
    lexical = [atom("P", 2.0), atom("R", 1.0)]
    semantic = [chunk("Z", 1.0), atom("Q", 1.0), atom("R", 0.5)]
    results = blend(lexical, semantic, even)
    assert {r.s_final for r in results} == {0.5}
    assert [r.id for r in results] == ["R", "P", "Q", "Z"]
    assert blend(list(reversed(lexical)), list(reversed(semantic)), even) == results


def test_empty_and_limited():
    assert blend([], []) == []
    assert [r.id for r in blend(LEXICAL, SEMANTIC, limit=2)] == ["B", "A"]
    # All-zero ranks normalise to 0 rather than dividing by zero.
    assert [r.s_lex for r in blend([atom("A", 0.0)], [])] == [0.0]


def test_evidence_pointers_must_be_complete():
    with pytest.raises(ValidationError, match="atom_id"):
        EvidencePointer(kind=UnitKind.ATOM)
    with pytest.raises(ValidationError, match="relative_path"):
        EvidencePointer(kind=UnitKind.CHUNK, relative_path="a.md")
    with pytest.raises(ValidationError, match="finite"):
        atom("A", float("nan"))
