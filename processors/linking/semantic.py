"""Semantic candidates: windows of a line embedded and compared with every skill's vector.

A line names skills in a few of its words ("… with focus on UI to take …"), so the line
as a whole is a poor query for any one of them. Every window of one to `MAX_WINDOW` (3)
words that neither starts nor ends with a filler word ("strong", "of", "experience") is
embedded; a skill's score is its best window's cosine plus `LINE_WEIGHT` times the whole
line's cosine (the line says which sense is meant). The best window is the mention.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from processors.linking.text import FILLERS, Word

MAX_WINDOW = 3
LINE_WEIGHT = 0.5


@dataclass(frozen=True)
class Windows:
    spans: list[tuple[int, int]]  # word index ranges, end exclusive
    texts: list[str]


def windows(line: str, ws: list[Word], max_window: int = MAX_WINDOW) -> Windows:
    spans: list[tuple[int, int]] = []
    seen: set[str] = set()
    texts: list[str] = []
    for i in range(len(ws)):
        if ws[i].folded in FILLERS:
            continue
        for n in range(1, min(max_window, len(ws) - i) + 1):
            if ws[i + n - 1].folded in FILLERS:
                continue
            text = line[ws[i].start : ws[i + n - 1].end]
            if text not in seen:
                seen.add(text)
                spans.append((i, i + n))
                texts.append(text)
    return Windows(spans, texts)


@dataclass(frozen=True)
class SemanticScores:
    score: npt.NDArray[np.float32]  # per skill
    best_window: npt.NDArray[np.int64]  # per skill, index into the windows (-1: none)


def score(line_sims: npt.NDArray[np.float32], window_sims: npt.NDArray[np.float32]) -> SemanticScores:
    """Scores of every skill for one line, from the cosines of the line (one row per skill)
    and of its windows (windows x skills) with the skills' unit vectors."""
    if len(window_sims) == 0:
        return SemanticScores(line_sims * (1 + LINE_WEIGHT), np.full(len(line_sims), -1, dtype=np.int64))
    best = window_sims.argmax(axis=0)
    top = np.take_along_axis(window_sims, best[None, :], axis=0)[0]
    return SemanticScores((top + LINE_WEIGHT * line_sims).astype(np.float32), best.astype(np.int64))
