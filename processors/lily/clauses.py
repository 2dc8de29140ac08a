"""The clauses of a requirement line, with list commas re-joined, and which clause holds a position.

Both in time linear in the line (bisection over spans in text order): a pasted list of
thousands of skills is one clause, found in one pass.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from processors.lily import skills, strength
from processors.lily.spans import SpanIndex


def line_clauses(text: str, found: list[skills.Found]) -> list[tuple[int, int]]:
    """Clause spans; a piece that holds only skills joins the next one, so a list stays one clause."""
    spans = strength.clauses(text)
    starts = [f.start for f in found]  # found is in text order
    reach = SpanIndex((f.start, f.end) for f in found).reach
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for s, e in spans:
        if pending is not None:
            only = _still_only_skills(text, pending, e, found, starts, reach)
            s = pending[0]
            pending = None
        else:
            only = _only_skills(text, s, e, found, starts)
        if only and (s, e) != spans[-1]:
            pending = (s, e)
            continue
        merged.append((s, e))
    if pending is not None:
        merged.append(pending)
    if len(merged) > 1 and _only_skills(text, *merged[-1], found, starts):
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    return merged or [(0, len(text))]


# What may stand between the skills of a list ("Python, Java and/or Go"). The language is closed
# under concatenation and no word of it ends half-way through "and"/"or", so a piece joined to
# a list that holds only skills keeps it so exactly when the piece's own rest is in it.
_JOINERS = re.compile(r"[\s,/&]*(?:(?:and|or)[\s,/&]*)*", re.IGNORECASE)


def _only_skills(text: str, s: int, e: int, found: list[skills.Found], starts: list[int]) -> bool:
    inside = [f for f in found[bisect_left(starts, s) : bisect_left(starts, e)] if f.end <= e]
    return bool(inside) and _rest_joins(text, s, e, inside)


def _still_only_skills(
    text: str,
    pending: tuple[int, int],
    e: int,
    found: list[skills.Found],
    starts: list[int],
    reach: list[int],
) -> bool:
    """`_only_skills(pending start, e)` given that the pending span holds only skills, looking
    only at the new part: a long list then costs one pass, not one pass per item."""
    ps, pe = pending
    k = bisect_left(starts, pe)
    if k > 0 and reach[k - 1] > pe:  # a skill runs across the join: look at the whole
        return _only_skills(text, ps, e, found, starts)
    inside = [f for f in found[k : bisect_left(starts, e)] if f.end <= e]
    return _rest_joins(text, pe, e, inside)


def _rest_joins(text: str, s: int, e: int, inside: list[skills.Found]) -> bool:
    """The text of [s, e) without the skills inside it is only list joiners."""
    pieces, at = [], s
    for f in inside:  # in text order
        pieces.append(text[at : max(at, f.start)])
        at = max(at, f.end)
    pieces.append(text[at:e])
    return _JOINERS.fullmatch("".join(pieces)) is not None


class ClauseIndex:
    """The clauses of a line (in order, disjoint) and which one holds a position, by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def __len__(self) -> int:
        return len(self.spans)

    def of(self, pos: int) -> int:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.spans[i][1]:
            return i
        # Between clauses (on a break) or past the end: the last clause, as a reader would.
        return max(0, len(self.spans) - 1) if pos >= 0 else 0
