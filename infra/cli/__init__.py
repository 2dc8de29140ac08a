"""`turing`: one command, discoverable subcommands (`turing --help`)."""

from __future__ import annotations

import warnings

from infra.cli.quiet import debugging, quiet_third_party

# Before the commands import their libraries: some draw or warn as they are imported.
quiet_third_party()
# Recorded rather than filtered: one library installs an "always" filter for its own warnings.
with warnings.catch_warnings(record=True) as _caught:
    from infra.cli.app import app, main
if debugging():
    for _w in _caught:
        warnings.showwarning(_w.message, _w.category, _w.filename, _w.lineno)

__all__ = ["app", "main"]
