"""Normalisation, finding skills in text, fuzzy resolution, distance and adjacency."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.taxonomy import store
from processors.taxonomy.model import Category, Edge, Skill, Taxonomy
from processors.taxonomy.text import normalise, tokens


@pytest.fixture(scope="module")
def tax():
    return store.builtin()


def names(tax, text):
    return [m.skill.name for m in tax.find_in_text(text)]


def small() -> Taxonomy:
    skills = [
        Skill("01.03.01.001", "PostgreSQL", ("Postgres",)),
        Skill("01.03.01.002", "MySQL"),
        Skill("01.03.02.001", "MongoDB"),
        Skill("01.02.01.001", "React"),
        Skill("02.01.01.001", "Figma"),
        Skill("06.04.02.001", "Café Management", ("cafe operations",)),
        Skill("04.04.01.001", "Spanish", ("Español", "Señor Spanish")),
    ]
    edges = [Edge("01.03.01.001", "01.02.01.001", "related_to", 1, 0.5)]
    return Taxonomy.from_skills(skills, [Category("01", "Technical Skills")], edges)


# --- normalisation ---------------------------------------------------------------------


def test_normalise_examples():
    assert normalise("  Node.js ") == "node_js"
    assert normalise("C++") == "c++" and normalise("C#") == "c#"
    assert normalise("Café") == normalise("Cafe\u0301") == "cafe"
    assert normalise("Master\u2019s degree") == normalise("Master's degree") == "masters_degree"
    assert normalise("Straße") == "strasse"


@settings(max_examples=300)
@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_tokens_are_folded(text):
    for token in tokens(text):
        assert token == token.casefold() and token


# --- finding skills in text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Registered Nurse with ICU experience; medication administration, wound care, BLS and ACLS.",
            ["Nursing", "Intensive Care", "Medication Administration", "Wound Care", "Basic Life Support",
             "Advanced Cardiac Life Support"],
        ),
        (
            "Certified welder: TIG welding and MIG welding of stainless steel; reads blueprints; forklift a plus.",
            ["TIG Welding", "MIG Welding", "Blueprint Reading", "Forklift Operation"],
        ),
        (
            "Month-end close, bank reconciliation and IFRS reporting in Xero; accounts payable.",
            ["Month-End Close", "Account Reconciliation", "IFRS", "Xero", "Accounts Payable"],
        ),
        (
            "5+ years of Python and Django, PostgreSQL, CI/CD on GitHub Actions, Kubernetes on AWS.",
            ["Python", "Django", "PostgreSQL", "CI/CD", "GitHub Actions", "Kubernetes", "Amazon Web Services"],
        ),
        (
            "HACCP food safety, barista skills and front desk work at a hotel using Opera PMS.",
            ["Food Safety", "Food Safety", "Barista", "Front Office Operations", "Property Management Systems"],
        ),
    ],
)  # fmt: skip
def test_find_in_text_across_fields(tax, text, expected):
    assert names(tax, text) == expected


def test_longest_phrase_wins(tax):
    found = tax.find_in_text("Experience with Microsoft SQL Server and React Native.")
    assert [m.matched for m in found] == ["Microsoft SQL Server", "React Native"]


def test_no_false_hits_in_plain_english(tax):
    paragraph = (
        "We go to the market on Sundays. Go early, because the stalls sell out. Our children excel at "
        "football and react calmly when they lose. A swift breeze moved the rusty gate; rust covers the "
        "old railings. In spring the sage in the garden grows lean and tall. The letter R comes after Q, "
        "and C comes before D. She will make a note, read a book and sketch the hills. Our R&D lab "
        "hosted a C-level visit. The helm of the boat was stiff, and the puppet show was sold out."
    )
    assert tax.find_in_text(paragraph) == []


def test_short_and_ambiguous_aliases_need_their_case_and_context(tax):
    assert names(tax, "Strong Go, R and C skills; Excel and Spark.") == [
        "Go", "R", "C", "Microsoft Excel", "Apache Spark"
    ]  # fmt: skip
    assert names(tax, "strong go, r and c skills; excel and spark.") == []
    assert names(tax, "Go is our main language.") == []  # first word of a sentence
    assert names(tax, "Requirements:\n- Excel\n- SQL") == ["SQL"]  # a line's first word
    assert names(tax, "R&D and C-suite and R's") == []
    assert names(tax, "golang and ReactJS") == ["Go", "React"]  # unambiguous aliases ignore case


def test_lookup_only_aliases_are_not_searched(tax):
    assert tax.lookup("management").name == "General Management"
    assert tax.lookup("driving").name == "Vehicle Driving"
    assert names(tax, "management of the driving range under construction") == []


def test_offsets_index_the_original_text():
    t = small()
    for text in [
        "Café management, Señor Spanish and Postgres.",
        "Cafe\u0301 management — Sen\u0303or Spanish — Postgres",  # decomposed accents shorten a folded text
        "ﬁne: € and ½ then café operations, Español, POSTGRES",  # expansions lengthen it
    ]:
        found = t.find_in_text(text)
        assert [m.skill.name for m in found] == ["Café Management", "Spanish", "PostgreSQL"], text
        for m in found:
            assert text[m.start : m.end] == m.matched
            assert normalise(m.matched) in {normalise(a) for a in m.skill.aliases}


def test_confidence_by_kind_of_alias(tax):
    by_name = {m.matched: m.confidence for m in tax.find_in_text("Python, Postgres and some Go work")}
    assert by_name == {"Python": 0.95, "Postgres": 0.85, "Go": 0.8}


words = st.sampled_from(
    ["Python", "python", "Go", "go", "R&D", "C", "C++", "SQL", "Server", "Microsoft", "care", "wound",
     "Café", "ICU", "Excel", "excel", "-", ".", ",", "\n", " ", "Señor", "React", "Native", "e\u0301"]
)  # fmt: skip


@settings(max_examples=200)
@given(st.lists(words, max_size=25).map(" ".join))
def test_find_in_text_spans_are_ordered_disjoint_and_exact(text):
    found = store.builtin().find_in_text(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.matched
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


# --- lookup and fuzzy resolution -------------------------------------------------------


def test_resolve_exact_then_fuzzy(tax):
    assert tax.resolve("k8s") == (tax.lookup("Kubernetes"), 1.0)
    skill, score = tax.resolve("Kubernets")
    assert skill.name == "Kubernetes" and 0.88 <= score < 1.0
    assert tax.resolve("Gox") is None  # short keys are never fuzzy
    assert tax.resolve("underwater basket weaving") is None


# --- distance and adjacency (seed 002 §3) ----------------------------------------------


def test_distance_levels():
    t = small()
    assert t.distance("01.03.01.001", "01.03.01.001") == 0
    assert t.distance("01.03.01.001", "01.03.01.002") == 1
    assert t.distance("01.03.01.001", "01.03.02.001") == 2
    assert t.distance("01.03.01.001", "02.01.01.001") is None


def test_adjacency_numbers():
    t = small()
    assert t.adjacency("01.03.01.001", "01.03.01.001") == 1.0
    assert t.adjacency("01.03.01.001", "01.03.01.002") == pytest.approx(0.4966, abs=1e-4)  # exp(-0.7)
    assert t.adjacency("01.03.01.001", "01.03.02.001") == pytest.approx(0.2466, abs=1e-4)  # exp(-1.4)
    assert t.adjacency("01.03.02.001", "01.02.01.001") == pytest.approx(0.1225, abs=1e-4)  # exp(-2.1)
    assert t.adjacency("01.03.01.001", "02.01.01.001") == 0.0
    # The explicit edge overrides distance 3 with its own distance 1, scaled by strength 0.5.
    assert t.adjacency("01.03.01.001", "01.02.01.001") == pytest.approx(0.2483, abs=1e-4)
    assert t.adjacency("01.02.01.001", "01.03.01.001") == pytest.approx(0.2483, abs=1e-4)
    assert t.adjacency("01.03.01.001", "01.03.01.002", lam=1.0) == pytest.approx(math.exp(-1))


def test_builtin_explicit_edges(tax):
    k8s, orchestration = tax.lookup("Kubernetes").code, tax.lookup("Container Orchestration").code
    assert tax.adjacency(k8s, orchestration) == pytest.approx(math.exp(-0.7))
    python, analysis = tax.lookup("Python").code, tax.lookup("Data Analysis").code
    assert tax.distance(python, analysis) is None  # different domains...
    assert tax.adjacency(python, analysis) == pytest.approx(math.exp(-0.7) * 0.85)  # ...but an edge


codes = st.sampled_from(sorted(store.builtin().skills))


@settings(max_examples=300)
@given(codes, codes)
def test_adjacency_is_symmetric_and_bounded(a, b):
    t = store.builtin()
    value = t.adjacency(a, b)
    assert 0.0 <= value <= 1.0
    assert value == t.adjacency(b, a)
    assert (value == 1.0) == (a == b)


def test_conflicting_edges_stay_symmetric():
    t = small()
    both = Taxonomy.from_skills(
        t.skills.values(),
        edges=[
            Edge("01.03.01.001", "01.03.01.002", "related_to", 1, 0.9),
            Edge("01.03.01.002", "01.03.01.001", "is_a", 2, 0.1),
        ],
    )
    assert both.adjacency("01.03.01.001", "01.03.01.002") == both.adjacency("01.03.01.002", "01.03.01.001")


def test_path_names_domain_down_to_skill(tax):
    assert tax.path(tax.lookup("PostgreSQL").code) == [
        "Technical Skills", "Databases & Data Storage", "Relational Databases", "PostgreSQL"
    ]  # fmt: skip


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("skills", "edges", "message"),
    [
        ([Skill("1.2.3.4", "X")], [], "not L1.L2.L3.L4"),
        ([Skill("01.01.01.001", "X"), Skill("01.01.01.001", "Y")], [], "used twice"),
        ([Skill("01.01.01.001", "X", kind="expert")], [], "kind"),
        ([Skill("01.01.01.001", "X", case_sensitive=("Y",))], [], "case_sensitive"),
        ([Skill("01.01.01.001", "X")], [Edge("01.01.01.001", "09.09.09.999", "is_a", 1)], "both ends"),
        ([Skill("01.01.01.001", "X"), Skill("01.01.01.002", "Y")], [Edge("01.01.01.001", "01.01.01.002", "likes", 1)], "relation"),
        ([Skill("01.01.01.001", "X"), Skill("01.01.01.002", "Y")], [Edge("01.01.01.001", "01.01.01.002", "is_a", 4)], "distance"),
        ([Skill("01.01.01.001", "X"), Skill("01.01.01.002", "Y")], [Edge("01.01.01.001", "01.01.01.002", "is_a", 1, 1.5)], "strength"),
    ],
)  # fmt: skip
def test_from_skills_rejects_bad_data(skills, edges, message):
    with pytest.raises(ValueError, match=message):
        Taxonomy.from_skills(skills, edges=edges)


def test_one_letter_skills_need_context(tax):
    assert names(tax, "Strong R skills required.") == ["R"]
    assert names(tax, "Python, R and SQL.") == ["Python", "R", "SQL"]
    assert names(tax, "The letter R comes after Q.") == []
    assert names(tax, "Class C licence and forklift experience.") == ["Forklift Operation"]
    assert names(tax, "Vitamin C and wound care.") == ["Wound Care"]
