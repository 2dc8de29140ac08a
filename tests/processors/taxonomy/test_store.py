"""Our taxonomy file format, and a taxonomy's identity."""

from __future__ import annotations

import json

import pytest

from processors.taxonomy import store
from processors.taxonomy.model import Category, Edge, Skill, Taxonomy


def tiny(source: str = "tiny") -> Taxonomy:
    return Taxonomy.from_skills(
        [
            Skill("01.01.01.001", "Go", ("Golang",), "hard", ("Go",)),
            Skill("01.01.01.002", "Management", ("management",), "soft", (), ("management",)),
        ],
        [Category("01", "Tech"), Category("01.01", "Languages"), Category("01.01.01", "Compiled")],
        [Edge("01.01.01.001", "01.01.01.002", "related_to", 2, 0.5)],
        source=source,
    )


def test_builtin_is_cached_and_named():
    assert store.builtin() is store.builtin()
    assert store.builtin().source == "builtin"


def test_save_load_round_trip(tmp_path):
    path = tmp_path / "t.json"
    store.save(tiny(), path)
    back = store.load(path)
    assert back.skills == tiny().skills
    assert back.categories == tiny().categories
    assert back.edges == tiny().edges
    assert back.source == "tiny"
    assert json.loads(path.read_text())["format"] == store.FORMAT


def test_builtin_round_trips_through_the_file_format(tmp_path):
    path = tmp_path / "builtin.json"
    store.save(store.builtin(), path)
    back = store.load(path)
    assert back.skills == store.builtin().skills
    assert back.edges == store.builtin().edges


def test_load_errors_name_the_file(tmp_path):
    with pytest.raises(store.TaxonomyFileError, match="no such taxonomy file"):
        store.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(store.TaxonomyFileError, match=r"bad\.json: not JSON \(line 1"):
        store.load(bad)
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else"}')
    with pytest.raises(store.TaxonomyFileError, match="not a taxonomy file"):
        store.load(other)
    doc = store.to_dict(tiny())
    del doc["skills"][0]["name"]
    lacking = tmp_path / "lacking.json"
    lacking.write_text(json.dumps(doc))
    with pytest.raises(store.TaxonomyFileError, match="lacks the field 'name'"):
        store.load(lacking)
    doc = store.to_dict(tiny())
    doc["edges"][0]["to"] = "09.09.09.009"
    dangling = tmp_path / "dangling.json"
    dangling.write_text(json.dumps(doc))
    with pytest.raises(store.TaxonomyFileError, match="both ends"):
        store.load(dangling)


def test_identity_is_the_name_and_a_hash_of_the_whole_content():
    base = tiny()
    assert base.identity == f"tiny#{base.digest}" and len(base.digest) == 64
    assert tiny().identity == base.identity  # stable: equal content, equal identity
    renamed = tiny("other")
    assert renamed.digest != base.digest
    skills = list(base.skills.values())
    moved = Taxonomy.from_skills(
        [
            skills[0],
            Skill(skills[1].code, skills[1].name, (*skills[1].synonyms, "mgmt"), "soft", (), ("management",)),
        ],
        base.categories.values(),
        base.edges,
        source="tiny",
    )
    assert moved.digest != base.digest  # one synonym more is another taxonomy
    assert store.builtin().identity == store.builtin().identity
