"""Settings a command records for one stack, in its data dir (`settings.toml`).

`turing taxonomy use` writes the taxonomy here. These values sit between the environment
(which wins) and the `TURING_CONFIG` file; only the names in `RECORDED` may be written.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from infra.filemodes import private_dir, write_private

FILE = "settings.toml"
RECORDED = ("taxonomy",)


class StackSettingsError(ValueError):
    """The data dir's settings file cannot be read."""


def path(data_dir: Path) -> Path:
    return data_dir / FILE


def read(data_dir: Path) -> dict[str, str]:
    """The recorded values (none when the file does not exist)."""
    file = path(data_dir)
    try:
        with file.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StackSettingsError(f"{file}: unreadable ({exc}); remove it or fix it") from None
    unknown = sorted(set(doc) - set(RECORDED))
    if unknown or not all(isinstance(v, str) for v in doc.values()):
        raise StackSettingsError(f"{file}: only {', '.join(RECORDED)} may be recorded here, as text")
    return {k: str(v) for k, v in doc.items()}


def record(data_dir: Path, name: str, value: str) -> Path:
    """Record one value (the others are kept); returns the file written."""
    if name not in RECORDED:
        raise ValueError(f"{name!r} is not a setting a command records")
    values = {**read(data_dir), name: value}
    if not data_dir.exists():  # an existing one keeps its modes (PostgreSQL may traverse it)
        private_dir(data_dir)
    # A JSON string is a TOML basic string for the text we write (no control characters).
    lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(values.items())]
    header = "# Written by `turing taxonomy use`; TURING_TAXONOMY overrides it.\n"
    write_private(path(data_dir), (header + "\n".join(lines) + "\n").encode())
    return path(data_dir)
