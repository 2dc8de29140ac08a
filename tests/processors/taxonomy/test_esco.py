"""Importing an ESCO-shaped CSV export (built here, small) into our codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from processors.taxonomy import esco, store

B = "http://data.europa.eu/esco/skill/"
HIER_COLS = [
    "Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 1 preferred term",
    "Level 2 URI", "Level 2 preferred term", "Level 3 URI", "Level 3 preferred term",
    "Description", "Scope note", "Level 0 code", "Level 1 code", "Level 2 code", "Level 3 code",
]  # fmt: skip
SKILL_COLS = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "description",
]
BROADER_COLS = ["conceptType", "conceptUri", "broaderType", "broaderUri"]


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        for row in rows:
            w.writerow(row)


def level(*pairs: tuple[str, str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for lv, (uri, term) in enumerate(pairs):
        row[f"Level {lv} URI"], row[f"Level {lv} preferred term"] = B + uri, term
    return row


def skill(uri: str, label: str, kind: str = "skill/competence", reuse: str = "cross-sector", alts: str = ""):
    return {"conceptType": "KnowledgeSkillCompetence", "conceptUri": B + uri, "skillType": kind,
            "reuseLevel": reuse, "preferredLabel": label, "altLabels": alts, "description": ""}  # fmt: skip


def broader(child: str, parent: str) -> dict[str, str]:
    return {
        "conceptType": "KnowledgeSkillCompetence",
        "conceptUri": B + child,
        "broaderType": "",
        "broaderUri": B + parent,
    }


S0, K0, T0, L0 = ("S", "skills"), ("K", "knowledge"), ("T", "transversal skills and competences"), ("L", "language skills and knowledge")  # fmt: skip


def export(tmp_path: Path, extra_skills: list[dict[str, str]] = (), extra_broader=()) -> Path:  # type: ignore[assignment]
    write(tmp_path / esco.HIERARCHY, HIER_COLS, [
        level(S0), level(K0), level(T0), level(L0),
        level(S0, ("S1", "communication, collaboration and creativity")),
        level(S0, ("S2", "information skills")),
        level(K0, ("K06", "information and communication technologies")),
        level(T0, ("T1", "core skills and competences")),
        level(L0, ("L1", "languages")),
        level(S0, ("S1", "communication, collaboration and creativity"), ("S1.1", "negotiating")),
        level(K0, ("K06", "information and communication technologies"), ("K061", "computer use")),
        level(S0, ("S1", "communication, collaboration and creativity"), ("S1.1", "negotiating"), ("S1.1.1", "negotiating contracts")),
    ])  # fmt: skip
    write(tmp_path / esco.SKILLS, SKILL_COLS, [
        skill("sk-a", "negotiate contracts", alts="contract negotiation\nnegotiating contracts\nNegotiate contracts"),
        skill("sk-b", "manage staff"),
        skill("sk-c", "Python (computer programming)", kind="knowledge", alts="Python"),
        skill("sk-d", "use Python libraries"),
        skill("sk-e", "show initiative", reuse="transversal"),
        skill("sk-f", "English", kind="knowledge"),
        skill("sk-g", "orphan skill"),
        skill("sk-h", "cycle one"),
        skill("sk-i", "cycle two"),
        *extra_skills,
    ])  # fmt: skip
    write(tmp_path / esco.BROADER, BROADER_COLS, [
        broader("sk-a", "S1.1.1"), broader("sk-a", "S1"),  # the deepest group wins
        broader("sk-b", "S1.1"),
        broader("sk-c", "K061"),
        broader("sk-d", "sk-c"),
        broader("sk-e", "T1"),
        broader("sk-f", "L1"),
        broader("sk-h", "sk-i"), broader("sk-i", "sk-h"),
        broader("S1.1", "S1"),  # hierarchy rows are ignored: the hierarchy file is the source
        *extra_broader,
    ])  # fmt: skip
    return tmp_path


def by_name(tax):
    return {s.name: s for s in tax.skills.values()}


def test_codes_follow_the_documented_mapping(tmp_path):
    tax = esco.import_esco(export(tmp_path))
    got = {name: s.code for name, s in by_name(tax).items()}
    # Level 1 groups sorted by URI: K06=01, L1=02, S1=03, S2=04, T1=05.
    assert got == {
        "negotiate contracts": "03.01.01.001",
        "manage staff": "03.01.00.001",
        "Python (computer programming)": "01.01.00.001",
        "use Python libraries": "01.01.00.002",
        "show initiative": "05.00.00.001",
        "English": "02.00.00.001",
        "orphan skill": "99.00.00.001",  # sk-g, sk-h, sk-i: numbered by URI
        "cycle one": "99.00.00.002",
        "cycle two": "99.00.00.003",
    }
    assert tax.categories["03"].name == "communication, collaboration and creativity"
    assert tax.categories["03.01.01"].name == "negotiating contracts"
    assert tax.categories["03.01.00"].name == "negotiating (general)"
    assert tax.categories["99"].name == "Unclassified"
    assert tax.path("03.01.01.001") == [
        "communication, collaboration and creativity", "negotiating", "negotiating contracts", "negotiate contracts"
    ]  # fmt: skip


def test_kinds_synonyms_and_edges(tmp_path):
    tax = esco.import_esco(export(tmp_path))
    s = by_name(tax)
    assert s["negotiate contracts"].kind == "hard"
    assert s["Python (computer programming)"].kind == "knowledge"
    assert s["show initiative"].kind == "soft"
    assert s["English"].kind == "language"
    assert s["negotiate contracts"].synonyms == ("contract negotiation", "negotiating contracts")
    assert tax.lookup("Python") is s["Python (computer programming)"]
    pairs = {(e.from_code, e.to_code, e.relation, e.distance, e.strength) for e in tax.edges}
    assert ("01.01.00.002", "01.01.00.001", "is_a", 1, 1.0) in pairs
    assert len(pairs) == 3
    assert tax.adjacency("01.01.00.002", "01.01.00.001") == pytest.approx(0.4966, abs=1e-4)


def test_import_is_deterministic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = esco.import_esco(export(tmp_path / "a"))
    b = esco.import_esco(export(tmp_path / "b"))
    assert a.skills == b.skills and a.edges == b.edges and a.categories == b.categories


def test_convert_saves_our_format_and_reports_counts(tmp_path):
    out = tmp_path / "esco.json"
    report = esco.convert(export(tmp_path), out)
    assert (report.skills, report.hard, report.soft, report.knowledge, report.language) == (9, 6, 1, 1, 1)
    assert (report.edges, report.unclassified) == (3, 3)
    assert report.source == f"esco:{tmp_path.name}"
    back = store.load(out)
    assert len(back.skills) == 9 and back.source == report.source


def test_a_full_group_spills_into_the_next_free_l3(tmp_path):
    many = [skill(f"bulk-{i:04d}", f"bulk skill {i}") for i in range(1001)]
    links = [broader(f"bulk-{i:04d}", "S1.1.1") for i in range(1001)]
    tax = esco.import_esco(export(tmp_path, many, links))
    codes = sorted(c for c in tax.skills if c.startswith("03.01.01.") or c.startswith("03.01.02."))
    assert len(codes) == 1002 and codes[-1] == "03.01.02.003"
    assert tax.categories["03.01.02"].name == "negotiating contracts (continued)"


def test_missing_file_is_named(tmp_path):
    export(tmp_path)
    (tmp_path / esco.BROADER).unlink()
    with pytest.raises(esco.EscoError, match=r"broaderRelationsSkillPillar_en\.csv: file not found"):
        esco.import_esco(tmp_path)


def test_missing_column_is_named(tmp_path):
    export(tmp_path)
    write(tmp_path / esco.SKILLS, ["conceptUri", "altLabels", "skillType"], [])
    with pytest.raises(esco.EscoError, match=r"skills_en\.csv: line 1: missing column\(s\) preferredLabel"):
        esco.import_esco(tmp_path)


def test_empty_value_names_line_and_column(tmp_path):
    # The first record spans three lines (its altLabels hold newlines): the bad one starts on line 5.
    export(tmp_path)
    write(tmp_path / esco.SKILLS, SKILL_COLS, [skill("sk-a", "one", alts="x\ny\nz"), skill("sk-b", "")])
    with pytest.raises(esco.EscoError, match=r"skills_en\.csv: line 5, column 'preferredLabel': empty value"):
        esco.import_esco(tmp_path)
