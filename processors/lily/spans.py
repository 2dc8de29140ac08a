"""Span queries in logarithmic time, so a line's cost grows with its length, not its square.

A long line has many matches of every kind; asking "does this span overlap (or sit inside)
any of those?" by scanning them all made Lily quadratic in the line length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable


class SpanIndex:
    """A fixed set of spans (they may overlap): overlap and containment queries."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        # reach[k]: the furthest end among the first k+1 spans by start.
        self.reach: list[int] = []
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        """Some span shares a position with [start, end)."""
        k = bisect_left(self.starts, end)
        return k > 0 and self.reach[k - 1] > start

    def contains(self, start: int, end: int) -> bool:
        """Some span holds the whole of [start, end)."""
        k = bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end


class DisjointSpans:
    """Spans that never overlap, added one at a time: the greedy 'first come keeps it' choice."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # Disjoint and sorted by start, so the ends are sorted too: only one neighbour can overlap.
        k = bisect_left(self.starts, end)
        return k > 0 and self.ends[k - 1] > start

    def add_if_free(self, start: int, end: int) -> bool:
        if self.overlaps(start, end):
            return False
        k = bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        return True
