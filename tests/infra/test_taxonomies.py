"""Choosing the taxonomy: the settings and the loader the wiring layer calls."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.settings import Settings
from infra.taxonomies import configured, load_choice
from processors.taxonomy import store
from processors.taxonomy.model import Category, Skill, Taxonomy

runner = CliRunner()


def tiny(source: str) -> Taxonomy:
    return Taxonomy.from_skills(
        [Skill("01.01.01.001", "Go", ("Golang",))],
        [Category("01", "Tech"), Category("01.01", "Languages"), Category("01.01.01", "Compiled")],
        source=source,
    )


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TURING_TAXONOMY", "TURING_CONFIG", "TURING_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_a_choice_names_a_shipped_taxonomy_or_a_file_read_again_when_it_changes(tmp_path: Path) -> None:
    assert load_choice("builtin") is store.builtin() and load_choice("") is store.builtin()
    path = tmp_path / "mine.json"
    store.save(tiny("first"), path)
    first = load_choice(str(path))
    assert first.source == "first" and load_choice(str(path)) is first
    store.save(tiny("second"), path)
    stat = path.stat()  # a rewrite within the clock's resolution: move the mtime on explicitly
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_choice(str(path)).source == "second"
    with pytest.raises(store.TaxonomyFileError, match="no such taxonomy file"):
        load_choice(str(tmp_path / "nowhere.json"))


def test_the_setting_comes_from_the_environment_or_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings.load(tmp_path).taxonomy == "builtin"
    config = tmp_path / "turing.toml"
    config.write_text('taxonomy = "esco"\n')
    monkeypatch.setenv("TURING_CONFIG", str(config))
    assert configured(Settings.load(tmp_path)) is store.esco()
    monkeypatch.setenv("TURING_TAXONOMY", "builtin")
    assert configured(Settings.load(tmp_path)) is store.builtin()
