"""Rebuild the shipped ESCO taxonomy from ESCO's CSV files.

    python -m processors.taxonomy.esco_build DIRECTORY [--out FILE]

DIRECTORY holds the ESCO 1.2.0 English files (the skills pillar, its hierarchy and
relations, occupations); the output defaults to the file `store.esco()` loads. The file is
byte-stable for a given export, so its sha256 names the build (the linker keys its skill
vectors by it).
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from processors.taxonomy import store
from processors.taxonomy.esco import EscoReport, import_esco_with_report

SOURCE = "esco-1.2.0"


def build(directory: str | Path, out: str | Path | None = None) -> tuple[Path, EscoReport, str]:
    """Import, save compactly, and return (file, counts, sha256 of the file)."""
    target = Path(out) if out is not None else store.esco_build_path()
    taxonomy, report = import_esco_with_report(directory, source=SOURCE)
    target.parent.mkdir(parents=True, exist_ok=True)
    store.save(taxonomy, target)
    return target, report, hashlib.sha256(target.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    target, report, digest = build(args.directory, args.out)
    print(
        f"{target}: {report.skills} skills, {report.edges} edges, {report.occupations} occupations, sha256 {digest}"
    )


if __name__ == "__main__":
    main()
