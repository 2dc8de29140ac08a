"""Choosing the taxonomy: the settings (environment, the stack's recorded choice, the file) and
the loader the wiring layer calls; `turing taxonomy use` and `show`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra import stack_settings
from infra.cli.app import app
from infra.settings import Settings
from infra.taxonomies import configured, load_choice
from processors.taxonomy import store
from processors.taxonomy.model import Category, Skill, Taxonomy
from schemas.errors import ConfigError

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


def test_the_environment_wins_over_the_stacks_choice_which_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "stack"
    assert Settings.load(data).taxonomy == "builtin"
    assert Settings.load(data).setting_origin("taxonomy") == "default"
    config = tmp_path / "turing.toml"
    config.write_text('taxonomy = "esco"\n')
    monkeypatch.setenv("TURING_CONFIG", str(config))
    assert Settings.load(data).taxonomy == "esco"
    assert Settings.load(data).setting_origin("taxonomy") == str(config)
    written = stack_settings.record(data, "taxonomy", "builtin")
    assert written == data / "settings.toml" and oct(written.stat().st_mode & 0o777) == "0o600"
    assert Settings.load(data).taxonomy == "builtin"
    assert Settings.load(data).setting_origin("taxonomy") == str(written)
    monkeypatch.setenv("TURING_TAXONOMY", "esco")
    assert Settings.load(data).taxonomy == "esco"
    assert Settings.load(data).setting_origin("taxonomy") == "TURING_TAXONOMY"
    assert configured(Settings.load(data)) is store.esco()


def test_a_broken_stack_settings_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('dsn = "postgres://elsewhere"\n')
    with pytest.raises(ConfigError, match="only taxonomy may be recorded"):
        Settings.load(tmp_path)
    with pytest.raises(ValueError, match="not a setting a command records"):
        stack_settings.record(tmp_path, "dsn", "x")


def test_use_records_the_choice_and_show_prints_what_is_in_force(tmp_path: Path) -> None:
    data = tmp_path / "stack"
    env = {"TURING_TAXONOMY": None, "TURING_CONFIG": None}
    shown = runner.invoke(app, ["taxonomy", "show", "--data-dir", str(data), "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.output)
    assert answer["taxonomy"] == "builtin" and answer["from"] == "default"
    assert answer["identity"] == store.builtin().identity and answer["skills"] == len(store.builtin().skills)

    path = tmp_path / "mine.json"
    store.save(tiny("mine"), path)
    used = runner.invoke(app, ["taxonomy", "use", str(path), "--data-dir", str(data), "--json"], env=env)
    assert used.exit_code == 0, used.output
    answer = json.loads(used.output)
    assert answer["taxonomy"] == str(path.resolve()) and answer["name"] == "mine" and answer["skills"] == 1
    assert answer["from"] == answer["recorded"] == str(data / "settings.toml")
    assert Settings.load(data).taxonomy == str(path.resolve())

    plain = runner.invoke(app, ["taxonomy", "use", "builtin", "--data-dir", str(data)], env=env)
    assert plain.exit_code == 0 and "taxonomy builtin: builtin#" in plain.output
    overridden = runner.invoke(
        app,
        ["taxonomy", "use", "builtin", "--data-dir", str(data)],
        env={**env, "TURING_TAXONOMY": str(path)},
    )
    assert overridden.exit_code == 0 and "TURING_TAXONOMY" in overridden.output


def test_use_refuses_what_is_not_a_taxonomy(tmp_path: Path) -> None:
    data = tmp_path / "stack"
    unknown = runner.invoke(app, ["taxonomy", "use", "onet", "--data-dir", str(data)])
    assert unknown.exit_code == 2 and "'onet' is not one of 'builtin', 'esco'" in unknown.output
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    refused = runner.invoke(app, ["taxonomy", "use", str(bad), "--data-dir", str(data)])
    assert refused.exit_code == 2 and "not a taxonomy file" in refused.output
    assert not (data / "settings.toml").exists()
