"""Where the team's sample data lives: the checkout's `sample_data/`, or the installed copy.

A wheel carries the files as data under `<prefix>/share/turing/sample_data` (pyproject's
`data-files`), so `turing demo` finds them after `pip install` or `pipx install` too.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

SAMPLE_FILES = ("postings.jsonl", "postings_update.jsonl", "profiles.jsonl", "lily_labelled.jsonl")


def candidates() -> list[Path]:
    checkout = Path(__file__).resolve().parents[1] / "sample_data"
    installed = [
        Path(base) / "share" / "turing" / "sample_data"
        for base in dict.fromkeys([sys.prefix, sysconfig.get_path("data")])
    ]
    return [checkout, *installed]


def samples_dir() -> Path:
    """The first place that holds every sample file; a clear error naming where it looked."""
    for place in candidates():
        if all((place / name).is_file() for name in SAMPLE_FILES):
            return place
    looked = ", ".join(str(p) for p in candidates())
    raise FileNotFoundError(f"the sample data is missing (looked in {looked}): reinstall turing")
