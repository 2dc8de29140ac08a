"""Rebuilds the public-data slices in this folder from the full files (run by hand, not by pytest).

    python tests/data/public/build.py PUBLIC_DATA_DIR

The slices are real rows, never edited: the first sentences of each SkillSpan and ESCO-linking
dev file, and a few dozen ESCO skills with every row that places them (their broader chain up
to the hierarchy, the hierarchy rows on that chain, their relations to each other, one
occupation). The tests read them through TURING_PUBLIC_DATA, so they run on every machine.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCES = 12  # per SkillSpan file
LINKING_SENTENCES = 10  # per ESCO-linking file, each with all its rows
SKILLS = (
    "Python (computer programming)",
    "Haskell",
    "SQL",
    "JavaScript",
    "computer programming",
    "data mining",
    "English",
    "French",
    "speak different languages",
    "work in teams",
    "think analytically",
    "show determination",
    "manage musical staff",
    "use spreadsheets software",
    "use scripting programming",
)
OCCUPATION = "software developer"


def _table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")


def _head_sentences(text: str, n: int) -> str:
    """The first `n` sentences with a span, and the first few without (files open with headers)."""
    kept, tagged, plain = [], 0, 0
    for block in (b for b in text.split("\n\n") if b.strip()):
        if "\tB-" in block and tagged < n:
            tagged += 1
            kept.append(block)
        elif "\tB-" not in block and plain < 3:
            plain += 1
            kept.append(block)
    return "\n\n".join(kept) + "\n"


def skillspan(src: Path) -> None:
    for source in ("house", "tech"):
        name = f"skillspan_{source}_dev.conll"
        text = (src / "skillspan" / name).read_text(encoding="utf-8")
        (HERE / "skillspan").mkdir(exist_ok=True)
        (HERE / "skillspan" / name).write_text(_head_sentences(text, SENTENCES), encoding="utf-8")
    (HERE / "skillspan" / "LICENSE").write_text((src / "skillspan" / "LICENSE").read_text(encoding="utf-8"))


def esco_linking(src: Path) -> None:
    for source in ("tech", "house"):
        name = f"{source}_validation_annotations.csv"
        header, rows = _table(src / "esco_linking" / name)
        kept: list[str] = []
        for row in rows:
            if row["sentence"] not in kept:
                kept.append(row["sentence"])
        first = set(kept[:LINKING_SENTENCES])
        _write(HERE / "esco_linking" / name, header, [r for r in rows if r["sentence"] in first])


def esco(src: Path) -> None:
    header, skills = _table(src / "esco" / "skills_en.csv")
    chosen = [r for r in skills if r["preferredLabel"] in SKILLS]
    missing = set(SKILLS) - {r["preferredLabel"] for r in chosen}
    if missing:
        raise SystemExit(f"not in skills_en.csv: {', '.join(sorted(missing))}")
    uris = {r["conceptUri"] for r in chosen}
    b_header, broader = _table(src / "esco" / "broaderRelationsSkillPillar_en.csv")
    up: dict[str, list[dict[str, str]]] = {}
    for row in broader:
        up.setdefault(row["conceptUri"], []).append(row)
    closure, todo, kept_broader = set(uris), list(uris), []
    while todo:
        for row in up.get(todo.pop(), []):
            kept_broader.append(row)
            if row["broaderUri"] not in closure:
                closure.add(row["broaderUri"])
                todo.append(row["broaderUri"])
    # a broader skill on the chain is a skill of the slice too, so it can be placed
    chosen = [r for r in skills if r["conceptUri"] in closure]
    _write(HERE / "esco" / "skills_en.csv", header, chosen)
    _write(HERE / "esco" / "broaderRelationsSkillPillar_en.csv", b_header, kept_broader)
    h_header, hierarchy = _table(src / "esco" / "skillsHierarchy_en.csv")

    def deepest(row: dict[str, str]) -> str:
        return next(row[f"Level {i} URI"] for i in (3, 2, 1, 0) if row[f"Level {i} URI"])

    _write(
        HERE / "esco" / "skillsHierarchy_en.csv", h_header, [r for r in hierarchy if deepest(r) in closure]
    )
    r_header, relations = _table(src / "esco" / "skillSkillRelations_en.csv")
    skill_uris = {r["conceptUri"] for r in chosen}
    _write(
        HERE / "esco" / "skillSkillRelations_en.csv",
        r_header,
        [r for r in relations if r["originalSkillUri"] in skill_uris and r["relatedSkillUri"] in skill_uris],
    )
    o_header, occupations = _table(src / "esco" / "occupations_en.csv")
    job = [r for r in occupations if r["preferredLabel"] == OCCUPATION]
    _write(HERE / "esco" / "occupations_en.csv", o_header, job)
    labels = {r["preferredLabel"] for r in chosen}
    lines = []
    for line in (src / "esco" / "occupation_skills.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["occupationUri"] == job[0]["conceptUri"]:
            for key in ("essentialSkills", "optionalSkills"):
                record[key] = [s for s in record.get(key, []) if s in labels]
            lines.append(json.dumps(record, ensure_ascii=False))
    (HERE / "esco" / "occupation_skills.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    src = Path(sys.argv[1])
    skillspan(src)
    esco_linking(src)
    esco(src)


if __name__ == "__main__":
    main()
