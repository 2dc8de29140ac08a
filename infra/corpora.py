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
SKILLSPAN_SOURCES = ("house", "tech")


class CorpusMissing(FileNotFoundError):
    """A public corpus file is not where it is looked for."""


def public_data_dir() -> Path:
    configured = os.environ.get(ENV, "").strip()
    return Path(configured) if configured else _REPO.parent / "shared" / "data"


def _file(*parts: str) -> Path:
    path = public_data_dir().joinpath(*parts)
    if not path.is_file():
        raise CorpusMissing(f"{path}: not found (set {ENV} to the folder holding the public data)")
    return path


def esco_dir() -> Path:
    return _file("esco", "skills_en.csv").parent


def esco_linking(source: str, split: str = "dev") -> list[LinkingSentence]:
    """The ESCO-linking sentences of one source; `dev` is the validation split shipped to us."""
    if source not in LINKING_SOURCES:
        raise ValueError(f"no ESCO-linking source {source!r} (one of {', '.join(LINKING_SOURCES)})")
    if split != "dev":
        raise ValueError(f"split {split!r} is not available: only dev (the validation split) is")
    path = _file("esco_linking", f"{source}_validation_annotations.csv")
    return parse_esco_linking(path.read_text(encoding="utf-8"))


def skillspan(source: str, split: str = "dev") -> list[TaggedSentence]:
    """SkillSpan sentences of one source and split (train or dev; test is held back)."""
    if source not in SKILLSPAN_SOURCES:
        raise ValueError(f"no SkillSpan source {source!r} (one of {', '.join(SKILLSPAN_SOURCES)})")
    if split not in ("train", "dev"):
        raise ValueError(f"split {split!r} is not available: train and dev are")
    return parse_skillspan(
        _file("skillspan", f"skillspan_{source}_{split}.conll").read_text(encoding="utf-8")
    )
