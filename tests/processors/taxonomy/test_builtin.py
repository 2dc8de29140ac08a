"""The built-in taxonomy's data: size, structure, unambiguous aliases, curated edges."""

from __future__ import annotations

from collections import Counter

import pytest

from processors.taxonomy import store
from processors.taxonomy.model import CODE_RE, KINDS
from processors.taxonomy.text import normalise


@pytest.fixture(scope="module")
def tax():
    return store.builtin()


def test_size_and_six_domains(tax):
    assert len(tax.skills) >= 420
    per_domain = Counter(code[:2] for code in tax.skills)
    assert sorted(per_domain) == ["01", "02", "03", "04", "05", "06"]
    assert all(n >= 60 for n in per_domain.values()), per_domain
    names = {c.code: c.name for c in tax.categories.values() if c.level == 1}
    assert names == {
        "01": "Technical Skills",
        "02": "Design & Creative",
        "03": "Business & Management",
        "04": "Communication & Social",
        "05": "Research & Analysis",
        "06": "Specialized & Domain",
    }


def test_codes_are_valid_unique_and_categorised(tax):
    for code, skill in tax.skills.items():
        assert CODE_RE.match(code) and skill.code == code
        assert skill.kind in KINDS
        parts = code.split(".")
        for k in (1, 2, 3):
            category = tax.categories.get(".".join(parts[:k]))
            assert category is not None and category.name.strip(), f"{code}: no L{k} category"
        assert len(tax.path(code)) == 4
    assert len({s.name for s in tax.skills.values()}) == len(tax.skills)


def test_every_kind_is_represented(tax):
    kinds = Counter(s.kind for s in tax.skills.values())
    assert kinds["language"] >= 20 and kinds["soft"] >= 20 and kinds["knowledge"] >= 40


def test_no_alias_names_two_skills(tax):
    owner: dict[str, str] = {}
    clashes = []
    for skill in tax.skills.values():
        for alias in skill.aliases:
            key = normalise(alias)
            assert key, f"{skill.code}: alias {alias!r} normalises to nothing"
            if owner.setdefault(key, skill.code) != skill.code:
                clashes.append((alias, owner[key], skill.code))
    assert clashes == []


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("JavaScript", "JavaScript"),
        ("JS", "JavaScript"),
        ("Javascript", "JavaScript"),
        ("React.js", "React"),
        ("ReactJS", "React"),
        ("React", "React"),
        ("Amazon Web Services", "Amazon Web Services"),
        ("AWS", "Amazon Web Services"),
        ("CI/CD", "CI/CD"),
        ("CICD", "CI/CD"),
        ("CI-CD", "CI/CD"),
    ],
)
def test_seed_001_normalisation_examples(tax, raw, name):
    skill = tax.lookup(raw)
    assert skill is not None and skill.name == name


def test_normalised_keys_of_seed_examples():
    assert normalise("CI/CD") == normalise("CI-CD") == normalise("ci cd") == "ci_cd"
    assert normalise("JavaScript") == normalise("Javascript") == "javascript"


# Names the requirement decomposer (Lily) emits for degree subjects, licences and the
# skills a degree implies: each must resolve by exact lookup.
DECOMPOSER_NAMES = [
    "computer science", "software engineering", "information technology", "data science", "nursing",
    "medicine", "pharmacy", "accounting", "finance", "economics", "business administration", "law",
    "mathematics", "statistics", "engineering", "electrical engineering", "mechanical engineering",
    "civil engineering", "education", "hospitality management", "supply chain management", "logistics",
    "marketing", "public administration", "psychology", "programming", "algorithms", "data structures",
    "software design", "networking", "systems administration", "machine learning", "patient care",
    "clinical assessment", "clinical diagnosis", "pharmacology", "dispensing", "bookkeeping",
    "financial reporting", "financial analysis", "economic analysis", "management", "strategy",
    "legal research", "legal drafting", "mathematical modelling", "statistical analysis", "data analysis",
    "technical design", "problem solving", "circuit design", "electrical systems", "cad", "mechanics",
    "structural analysis", "construction", "lesson planning", "classroom management", "customer service",
    "operations management", "inventory management", "procurement", "transport planning",
    "market research", "digital marketing", "policy analysis", "public sector management",
    "research methods", "counselling", "driving", "electrical installation", "gas engineering",
    "forklift operation", "food safety", "teaching", "aws", "project management", "information security",
    "kubernetes", "scrum", "human resources", "it service management", "process improvement",
    "health and safety", "english", "german", "french", "spanish", "english teaching",
]  # fmt: skip


@pytest.mark.parametrize("name", DECOMPOSER_NAMES)
def test_decomposer_names_resolve(tax, name):
    assert tax.lookup(name) is not None, name


def test_degree_subjects_are_knowledge(tax):
    for name in ["Computer Science", "Nursing", "Accounting", "Law", "Mechanical Engineering", "Economics"]:
        skill = tax.lookup(name)
        assert skill is not None and skill.kind == "knowledge", name


def test_languages_and_soft_skills(tax):
    for name in ["English", "German", "French", "Spanish", "Dutch", "Mandarin", "Arabic"]:
        assert tax.lookup(name).kind == "language", name
    for name in ["communication", "teamwork", "leadership", "problem solving", "time management"]:
        assert tax.lookup(name).kind == "soft", name


def test_curated_edges(tax):
    assert len(tax.edges) >= 40
    pairs = {(tax.skills[e.from_code].name, tax.skills[e.to_code].name): e for e in tax.edges}
    assert pairs[("Kubernetes", "Container Orchestration")].relation == "is_a"
    assert pairs[("Docker", "Kubernetes")].relation == "prerequisite_of"
    assert pairs[("React", "Vue.js")].strength == 0.75
    assert len(pairs) == len(tax.edges), "an edge is listed twice"
    assert all(e.from_code != e.to_code for e in tax.edges)
