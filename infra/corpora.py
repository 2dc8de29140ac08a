"""The public data the judgement is measured on, read from disk.

`TURING_PUBLIC_DATA` names the folder (with `esco/`, `esco_linking/`, `skillspan/`); by
default it is `shared/data` beside the checkout (`../shared/data` from the repository
root). Parsing is pure and lives in `processors/linking/corpora.py`; this module only
finds and reads files.
"""

from __future__ import annotations

import os
from pathlib import Path

from processors.linking.corpora import LinkingSentence, TaggedSentence, parse_esco_linking, parse_skillspan

ENV = "TURING_PUBLIC_DATA"
_REPO = Path(__file__).resolve().parent.parent
LINKING_SOURCES = ("tech", "house")
TEST_ONLY_LINKING_SOURCES = ("techwolf",)  # Decorte et al. 2023: a test split and no validation one
SKILLSPAN_SOURCES = ("house", "tech")


class CorpusMissing(FileNotFoundError):
    """A public corpus file is not where it is looked for."""


def public_data_dir() -> Path:
    configured = os.environ.get(ENV, "").strip()
    return Path(configured) if configured else _REPO.parent / "shared" / "data"


def _file(*parts: str, held_back: bool = False) -> Path:
    path = public_data_dir().joinpath(*parts)
    if path.is_file():
        return path
    if held_back:
        # Test splits are never shipped nor looked up here: whoever scores the project places
        # them beside the dev files, and the same commands read them.
        raise CorpusMissing(
            f"{path}: the test split is held back and not on this machine "
            f"(tune and report on dev; scorers place the file there or under {ENV})"
        )
    raise CorpusMissing(f"{path}: not found (set {ENV} to the folder holding the public data)")


def esco_dir() -> Path:
    return _file("esco", "skills_en.csv").parent


def esco_linking(source: str, split: str = "dev") -> list[LinkingSentence]:
    """The ESCO-linking sentences of one source: `dev` is the validation split shipped to us,
    `test` the held-back one where a scorer has placed it."""
    known = LINKING_SOURCES + (TEST_ONLY_LINKING_SOURCES if split == "test" else ())
    if source not in known:
        raise ValueError(f"no ESCO-linking {split} source {source!r} (one of {', '.join(known)})")
    if split == "dev":
        path = _file("esco_linking", f"{source}_validation_annotations.csv")
    elif split == "test":
        path = _file("esco_linking", f"{source}_test_annotations.csv", held_back=True)
    else:
        raise ValueError(f"split {split!r} is not available: dev (the validation split) or test")
    return parse_esco_linking(path.read_text(encoding="utf-8"))


def linking_sources(split: str) -> tuple[str, ...]:
    """The ESCO-linking sources a split is scored on: tech and house on dev; on test, those of
    tech, house and techwolf whose held-back file has been placed (at least one)."""
    if split != "test":
        return LINKING_SOURCES
    placed = tuple(
        s
        for s in LINKING_SOURCES + TEST_ONLY_LINKING_SOURCES
        if public_data_dir().joinpath("esco_linking", f"{s}_test_annotations.csv").is_file()
    )
    return placed or (LINKING_SOURCES[0],)  # reading it then says the split is held back


def skillspan(source: str, split: str = "dev") -> list[TaggedSentence]:
    """SkillSpan sentences of one source and split (train, dev; test where a scorer placed it)."""
    if source not in SKILLSPAN_SOURCES:
        raise ValueError(f"no SkillSpan source {source!r} (one of {', '.join(SKILLSPAN_SOURCES)})")
    if split not in ("train", "dev", "test"):
        raise ValueError(f"split {split!r} is not available: train, dev or test")
    name = f"skillspan_{source}_{split}.conll"
    path = _file("skillspan", name, held_back=split == "test")
    return parse_skillspan(path.read_text(encoding="utf-8"))
