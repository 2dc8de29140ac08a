"""The linker over shipped ESCO: ranked skills with mentions, calibrated scores, its matrix."""

from __future__ import annotations

import numpy as np

from processors.linking.linker import OVERLAP_PENALTY, Linker, _spread, calibrate, masked
from processors.linking.vectors import combine, skill_text
from ray_jobs.embeddings.providers import MiniLMProvider


def test_named_skills_come_first_with_their_words_and_offsets(esco_linker: Linker):
    line = "Strong Python and SQL skills"
    found = esco_linker.link(line, top=5)
    top = {s.label: s for s in found[:2]}
    assert set(top) == {"Python (computer programming)", "SQL"}
    python = top["Python (computer programming)"]
    assert (python.mention.text, python.mention.start, python.mention.end) == ("Python", 7, 13)
    assert line[python.mention.start : python.mention.end] == python.mention.text
    assert python.uri.startswith("http://data.europa.eu/esco/skill/") and python.how == "exact"
    assert python.code in esco_linker.taxonomy.skills


def test_a_paraphrase_links_by_meaning(esco_linker: Linker):
    found = esco_linker.link("Coordinating a team of nurses", top=3)
    assert found[0].label == "work with nursing staff" and found[0].how == "semantic"
    assert found[0].mention.text == "nurses"


def test_scores_are_calibrated_ranked_and_thresholded(esco_linker: Linker):
    found = esco_linker.link("Fluent in German", top=10)
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert found[0].label == "German" and found[0].score > 0.8
    sure = esco_linker.link_many(["Fluent in German"], top=10, min_score=0.5)[0]
    assert [s.label for s in sure] == ["German"]
    assert calibrate(0.2) < calibrate(1.0) < calibrate(1.3)


def test_blank_lines_link_to_nothing(esco_linker: Linker):
    assert esco_linker.link_many(["", "   "]) == [[], []]


def test_the_shipped_matrix_is_the_model_on_the_skills_texts(esco_linker: Linker):
    # A sample of rows re-embedded here must agree with the shipped float16 matrix.
    rows = [0, 4_321, len(esco_linker.skills) - 1]
    skills = [esco_linker.skills[i] for i in rows]
    provider = MiniLMProvider()
    fresh = combine(provider.embed([s.name for s in skills]), provider.embed([skill_text(s) for s in skills]))
    shipped = esco_linker.vectors.matrix[rows]
    assert np.all(np.sum(fresh * shipped, axis=1) > 0.999)
    assert esco_linker.identity.startswith("linker/1:esco-1.2.0:all-MiniLM-L6-v2:")


def test_a_line_seen_before_is_answered_from_memory(esco_linker: Linker):
    esco_linker.forget()
    first = esco_linker.link_many(["Kubernetes and Terraform in production"], top=3)
    embedder = esco_linker.embedder
    before = embedder.stats.requested  # type: ignore[attr-defined]
    again = esco_linker.link_many(["Kubernetes and Terraform in production"], top=3)
    assert again == first and embedder.stats.requested == before  # type: ignore[attr-defined]
    esco_linker.forget()
    assert esco_linker.link_many(["Kubernetes and Terraform in production"], top=3) == first


def test_a_second_reading_of_the_same_words_yields_to_another_mention():
    # Skills 0 and 1 are read from words 0-2, skill 2 from words 3-4: 1 is demoted below 2.
    fused = [(1.0, 0), (0.95, 1), (0.9, 2)]
    where = {0: (0, 2), 1: (1, 2), 2: (3, 4)}
    spread = _spread(fused, where, top=3)
    assert [i for _, i in spread] == [0, 2, 1]
    assert [raw for raw, _ in spread] == sorted((raw for raw, _ in spread), reverse=True)
    assert spread[2][0] == 0.95 - OVERLAP_PENALTY
    assert [i for _, i in _spread(fused, where, top=2)] == [0, 2]


def test_a_redaction_placeholder_names_no_skill(esco_linker: Linker):
    line = "Join <ORGANIZATION> in <LOCATION> and grow our SQL reporting"
    found = esco_linker.link(line, top=8)
    assert found and all("<" not in s.mention.text and ">" not in s.mention.text for s in found)
    assert all(line[s.mention.start : s.mention.end] == s.mention.text for s in found)
    assert "SQL" in [s.label for s in found[:3]]
    assert "organisation" not in masked("<ORGANIZATION>") and len(masked(line)) == len(line)
