"""The taxonomy the processes use: chosen here, once, from the settings, and passed down.

A choice is `builtin` or `esco` (both shipped) or the path of a taxonomy file in our format
(`turing taxonomy import-esco` writes one). Steps, the matcher and the projection's
taxonomy tables all get the object this returns; none of them looks a taxonomy up.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from infra.settings import Settings
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy


def load_choice(choice: str) -> Taxonomy:
    """The taxonomy a choice names; a file is read again only when it changes."""
    name = choice.strip() or "builtin"
    if name in store.SHIPPED:
        return store.shipped(name)
    path = Path(name).expanduser()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise store.TaxonomyFileError(
            f"{path}: no such taxonomy file (the taxonomy setting is one of "
            f"{', '.join(store.SHIPPED)} or a file)"
        ) from None
    return _load_file(str(path.resolve()), mtime)


@lru_cache(maxsize=4)
def _load_file(path: str, mtime_ns: int) -> Taxonomy:
    return store.load(path)


def configured(settings: Settings) -> Taxonomy:
    """The taxonomy the settings choose (TURING_TAXONOMY, `turing taxonomy use`, the file)."""
    return load_choice(settings.taxonomy)


def in_force(data_dir: Path | None = None) -> Taxonomy:
    """The configured taxonomy, for a command: the settings loaded (for `data_dir`) and resolved."""
    return configured(Settings.load(data_dir))
