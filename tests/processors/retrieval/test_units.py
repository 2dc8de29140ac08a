"""Experience atoms from profiles, markdown chunking and the retrieval audit (seed 003 §3-4, §12)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.retrieval import (
    JOB_MATCHING,
    ExperienceAtom,
    UnitKind,
    atoms_from_profile,
    blend,
    build_audit,
    chunk_markdown,
    parse_date,
    query_hash,
)

PROFILE = {
    "id": "prof-1",
    "work_history": [
        {"job_title": "Data Engineer", "company": "Contoso", "start": "2019-04", "end": "2022-01"},
        {
            "id": "job-acme",
            "job_title": "Staff Engineer",
            "company": "Acme",
            "start": "2022-02",
            "end": "present",
            "highlights": ["Led the Kafka migration", "Cut p95 latency by 40%"],
        },
    ],
    "skills": [
        {
            "name": "Go",
            "code": "01.02.03.004",
            "evidence": "Wrote the billing service in Go",
            "last_used": "2024",
        },
        {"name": "Public speaking"},
    ],
    "atoms": [
        "Mentored three engineers to promotion",
        {
            "id": "a-9",
            "title": "Postgres",
            "claim": "Ran zero-downtime upgrades",
            "tags": ["postgres"],
            "verified": True,
        },
        {"claim": "   "},
    ],
}


def test_atoms_point_back_into_the_profile():
    atoms = atoms_from_profile(PROFILE)
    assert [(a.atom_id, a.source) for a in atoms] == [
        ("work_history[0]", "work_history[0]"),
        ("job-acme", "work_history[1]"),
        ("skills[0]", "skills[0]"),
        ("atoms[0]", "atoms[0]"),
        ("a-9", "atoms[1]"),
    ]
    first, acme, go, mentoring, postgres = atoms
    assert (first.title, first.claim) == ("Data Engineer at Contoso", "Data Engineer at Contoso")
    assert (first.started, first.ended) == (date(2019, 4, 1), date(2022, 1, 1))
    assert acme.claim == "Led the Kafka migration; Cut p95 latency by 40%"
    assert acme.ended is None
    assert (go.domain, go.tags, go.ended) == ("01", ("Go", "01.02.03.004"), date(2024, 1, 1))
    assert mentoring.title == ""
    assert postgres.verified
    assert postgres.evidence().model_dump(exclude_none=True) == {
        "kind": UnitKind.ATOM,
        "atom_id": "a-9",
        "source": "atoms[1]",
    }


def test_embedding_text_and_hash_follow_the_seed_payload():
    atom = ExperienceAtom(
        atom_id="x",
        title="Architecture",
        claim="Designed  the\ngovernance layer",
        source="atoms[0]",
        tags=("arch", "ai"),
    )
    assert (
        atom.embedding_text()
        == "[ATOM]\nTitle: Architecture\nClaim: Designed the governance layer\nTags: arch, ai"
    )
    assert atom.text == "Architecture\nDesigned  the\ngovernance layer\narch ai"
    same = atom.model_copy(update={"started": date(2020, 1, 1)})
    assert same.content_hash == atom.content_hash  # dates are not embedded
    assert atom.model_copy(update={"claim": "Other"}).content_hash != atom.content_hash


def test_atom_ids_are_unique_and_dates_strict():
    with pytest.raises(ValueError, match="share the id 'dup'"):
        atoms_from_profile({"atoms": [{"id": "dup", "claim": "a"}, {"id": "dup", "claim": "b"}]})
    assert parse_date("2021-03-14") == date(2021, 3, 14)
    assert parse_date("Current") is None
    with pytest.raises(ValueError, match="not a date"):
        parse_date("last spring")
    assert atoms_from_profile({}) == []


def test_atom_candidates_carry_their_metadata():
    go = atoms_from_profile(PROFILE)[2]
    cand = go.candidate(0.7)
    assert (cand.id, cand.score, cand.domain, cand.evidence.source) == ("skills[0]", 0.7, "01", "skills[0]")
    assert blend([cand], [])[0].evidence.atom_id == "skills[0]"


DOC = """Preamble line.

# Thesis

First paragraph of the thesis.

## Adversaries

```python
# not a heading

x = 1
```

Closing words.
### Deep
Deep text.
# Second
"""


def test_chunks_follow_headings_and_keep_fenced_code_whole():
    chunks = chunk_markdown(DOC, "art-1", "writing/ch01.md")
    assert [(c.heading_path, c.start_line, c.end_line) for c in chunks] == [
        ("", 1, 1),
        ("Thesis", 5, 5),
        ("Thesis > Adversaries", 9, 15),
        ("Thesis > Adversaries > Deep", 17, 17),
    ]
    assert "# not a heading" in chunks[2].text
    assert (
        chunks[2]
        .embedding_text()
        .startswith("[DOC_CHUNK]\nPath: writing/ch01.md\nHeading: Thesis > Adversaries\n")
    )
    ev = chunks[1].evidence()
    assert (ev.kind, ev.relative_path, ev.start_line, ev.end_line) == (
        UnitKind.CHUNK,
        "writing/ch01.md",
        5,
        5,
    )
    uuid.UUID(chunks[0].chunk_id)
    assert [c.chunk_id for c in chunk_markdown(DOC, "art-1", "writing/ch01.md")] == [
        c.chunk_id for c in chunks
    ]
    assert chunks[0].candidate(0.3).heading_path == ""


def words(n: int, end: str = ".") -> str:
    return " ".join(["word"] * n) + end


def test_long_sections_split_evenly_at_paragraphs():
    doc = "# S\n\n" + "\n\n".join(words(30) for _ in range(4))
    # 120 words, max 100: two chunks aiming at 60 each, so 2 + 2 paragraphs rather than 3 + 1.
    chunks = chunk_markdown(doc, "a", "a.md", min_words=20, max_words=100)
    assert [len(c.text.split()) for c in chunks] == [60, 60]
    assert {c.heading_path for c in chunks} == {"S"}


def test_a_cut_mid_thought_repeats_its_paragraph():
    doc = "\n\n".join([words(30), words(30, ":"), words(30), words(30)])
    chunks = chunk_markdown(doc, "a", "a.md", min_words=20, max_words=70)
    # Cut after the colon: that paragraph opens the next chunk too. The next cut ends a sentence.
    assert [(c.start_line, c.end_line) for c in chunks] == [(1, 3), (3, 5), (7, 7)]
    assert chunks[1].text.startswith(words(30, ":"))


def test_an_oversized_paragraph_is_one_chunk():
    chunks = chunk_markdown(words(50) + "\n\n" + words(5), "a", "a.md", min_words=10, max_words=20)
    assert [len(c.text.split()) for c in chunks] == [50, 5]
    with pytest.raises(ValueError):
        chunk_markdown("x", "a", "a.md", min_words=30, max_words=20)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 120), min_size=1, max_size=12), st.integers(20, 200))
def test_chunks_cover_every_paragraph_in_order(sizes, max_words):
    paragraphs = [words(n) for n in sizes]
    chunks = chunk_markdown("\n\n".join(paragraphs), "a", "a.md", min_words=10, max_words=max(max_words, 10))
    seen = [p for c in chunks for p in c.text.split("\n\n")]
    assert seen == paragraphs  # every paragraph once, in order (no cut here falls mid-thought)
    assert all(len(c.text.split()) <= max(max_words, 10) or "\n\n" not in c.text for c in chunks)


def test_audit_records_the_query_and_both_candidate_lists():
    go = atoms_from_profile(PROFILE)[2]
    lexical, semantic = [go.candidate(0.2)], [go.candidate(0.8)]
    ranking = blend(lexical, semantic, JOB_MATCHING)
    audit = build_audit(
        trace_id="t-1",
        query_text="  Go   services ",
        preset=JOB_MATCHING,
        lexical=lexical,
        semantic=semantic,
        ranking=ranking,
        provider="local",
        model="all-MiniLM-L6-v2",
        dimension=384,
    )
    assert audit.query_hash == query_hash("Go services") != query_hash("go services")
    assert (audit.preset, audit.w_lex, audit.w_sem, audit.w_bonus) == ("job_matching", 0.55, 0.35, 0.10)
    assert [(s.id, s.score) for s in audit.lexical] == [("skills[0]", 0.2)]
    assert [(s.id, s.score) for s in audit.semantic] == [("skills[0]", 0.8)]
    assert audit.ranking == tuple(ranking)
    lexical_only = build_audit(
        trace_id="t-2", query_text="go", preset=JOB_MATCHING, lexical=lexical, semantic=[], ranking=[]
    )
    assert (lexical_only.provider, lexical_only.dimension, lexical_only.semantic) == (None, None, ())
