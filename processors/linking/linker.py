"""Skill linking: a line of text to ranked taxonomy skills, each with the words that name it.

Candidates come from the lexical side (names and synonyms, word for word, reordered or
nearly spelled: `lexical.py`) and the semantic side (windows of the line against every
skill's vector: `semantic.py`). They are fused as `semantic + LEXICAL_WEIGHT · lexical`
and calibrated by a logistic curve fitted on the ESCO-linking dev sentences (a skill
being one of the gold labels), so `score` reads as a probability and a threshold means
the same on every line. The mention is the lexical hit's words where there is one, else
the best semantic window.

Pure domain: the embedder and the skill matrix are given (see infra/linking_index.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from processors.embeddings.provider import EmbeddingProvider
from processors.linking.lexical import LexicalHit, LexicalIndex
from processors.linking.semantic import score, windows
from processors.linking.text import Word, words
from processors.linking.vectors import SkillVectors, ordered_skills
from processors.taxonomy.model import Skill, Taxonomy

LINKER_VERSION = "linker/1"
LEXICAL_WEIGHT = 0.1
# A link whose words overlap a better link's is demoted by this much per such link: one
# mention usually names one skill, so its second-best reading is less likely right than
# the best reading of another mention (ESCO-linking dev RP@5: tech 0.614 -> 0.628, house
# 0.443 -> 0.459; 0.1 to 0.3 give the same, validation split only, so tuned lightly).
OVERLAP_PENALTY = 0.1
# Logistic calibration of the fused score (fitted on ESCO-linking dev, see skills eval).
CAL_A, CAL_B = 11.0, -12.6
_POOL = 50  # semantic candidates looked at per line before fusion
_BATCH = 64  # lines per matrix product: 64 lines of ~20 windows is ~70 MB of similarities
_MEMO = 20_000  # lines whose answers are kept
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*>")


class Mention(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0, description="character offset in the line")
    end: int = Field(ge=0)


class LinkedSkill(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str = Field(description="the skill's preferred label")
    uri: str = Field(description="the source's identifier (ESCO concept URI); empty if none")
    code: str
    score: float = Field(ge=0.0, le=1.0, description="calibrated: about the chance the link is right")
    mention: Mention
    lexical: float = Field(ge=0.0, le=1.0, description="lexical evidence (0: none)")
    semantic: float = Field(description="cosine of the best window plus the line's share")
    how: str = Field(description="exact | reordered | fuzzy | semantic")


def masked(line: str) -> str:
    """The line with redaction placeholders ("<ORGANIZATION>", "<NAME>") blanked, offsets kept:
    they stand for words that were removed, and name no skill."""
    return _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), line)


def _reread(mention: Mention, line: str) -> Mention:
    return mention.model_copy(update={"text": line[mention.start : mention.end]})


def calibrate(raw: float) -> float:
    return 1.0 / (1.0 + math.exp(-(CAL_A * raw + CAL_B)))


@dataclass
class Linker:
    """Links lines to the skills of one taxonomy with one embedding model."""

    taxonomy: Taxonomy
    vectors: SkillVectors
    embedder: EmbeddingProvider

    def __post_init__(self) -> None:
        self.skills: list[Skill] = ordered_skills(self.taxonomy)
        if self.vectors.matrix.shape != (len(self.skills), self.embedder.dimension):
            raise ValueError(
                f"skill vectors {self.vectors.matrix.shape} do not fit {len(self.skills)} skills "
                f"x {self.embedder.dimension} dimensions"
            )
        self.lexical = LexicalIndex.build(self.skills)
        # Transposed once and contiguous: every line multiplies its windows by it.
        self._by_dimension = np.ascontiguousarray(self.vectors.matrix.T)
        self._memo: dict[tuple[str, int, float], list[LinkedSkill]] = {}

    @property
    def identity(self) -> str:
        """What a decision records: linker version, taxonomy, model and skill-matrix key."""
        return f"{LINKER_VERSION}:{self.taxonomy.source}:{self.embedder.model}:{self.vectors.key[:16]}"

    def link(self, line: str, top: int = 5) -> list[LinkedSkill]:
        return self.link_many([line], top)[0]

    def link_many(
        self, lines: Sequence[str], top: int = 5, min_score: float = 0.0
    ) -> list[list[LinkedSkill]]:
        """Per line, up to `top` skills by calibrated score (at least `min_score`), best first.

        Answers are deterministic, so a line seen before (postings repeat their boilerplate)
        is answered from memory.
        """
        todo = list(dict.fromkeys(x for x in lines if (x, top, min_score) not in self._memo))
        if len(self._memo) + len(todo) > _MEMO:
            self._memo.clear()
        for start in range(0, len(todo), _BATCH):
            batch = todo[start : start + _BATCH]
            for line, found in zip(batch, self._link_batch(batch, top, min_score), strict=True):
                self._memo[(line, top, min_score)] = found
        return [list(self._memo[(x, top, min_score)]) for x in lines]

    def forget(self) -> None:
        """Drop the answers kept for lines seen before (the benchmark measures without them)."""
        self._memo.clear()

    def _link_batch(self, given: Sequence[str], top: int, min_score: float) -> list[list[LinkedSkill]]:
        lines = [masked(line) for line in given]
        per_line = [words(line) for line in lines]
        wins = [windows(line, ws) for line, ws in zip(lines, per_line, strict=True)]
        texts = [t for line, w in zip(lines, wins, strict=True) for t in (line, *w.texts)]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dimension))
        # One product for the whole batch: BLAS is faster on one tall matrix than on many small.
        sims = vectors @ self._by_dimension
        out: list[list[LinkedSkill]] = []
        at = 0
        for original, line, ws, w in zip(given, lines, per_line, wins, strict=True):
            n = len(w.texts)
            line_sims, win_sims = sims[at], sims[at + 1 : at + 1 + n]
            at += 1 + n
            found = self._rank(line, ws, w.spans, line_sims, win_sims, top, min_score)
            # Masking keeps every offset, so a mention reads the same words in the given line.
            if line != original:
                found = [f.model_copy(update={"mention": _reread(f.mention, original)}) for f in found]
            out.append(found)
        return out

    def _rank(
        self,
        line: str,
        ws: list[Word],
        spans: list[tuple[int, int]],
        line_sims: np.ndarray,
        win_sims: np.ndarray,
        top: int,
        min_score: float,
    ) -> list[LinkedSkill]:
        if not line.strip():
            return []
        sem = score(line_sims, win_sims)
        lex = self.lexical.find(line, ws)
        pool = min(_POOL, len(self.skills))
        candidates = set(np.argpartition(-sem.score, pool - 1)[:pool].tolist()) | set(lex)
        fused: list[tuple[float, int]] = []
        for i in candidates:
            hit = lex.get(i)
            fused.append((float(sem.score[i]) + LEXICAL_WEIGHT * (hit.weight if hit else 0.0), i))
        fused.sort(key=lambda f: (-f[0], self.skills[f[1]].code))
        where = {i: _words_of(lex.get(i), int(sem.best_window[i]), spans, len(ws)) for _, i in fused}
        ranked: list[LinkedSkill] = []
        for raw, i in _spread(fused, where, top):
            calibrated = calibrate(raw)
            if calibrated < min_score:
                break
            window = int(sem.best_window[i])
            ranked.append(
                self._linked(line, ws, spans, i, calibrated, lex.get(i), window, float(sem.score[i]))
            )
        return ranked

    def _linked(
        self,
        line: str,
        ws: list[Word],
        spans: list[tuple[int, int]],
        i: int,
        calibrated: float,
        hit: LexicalHit | None,
        window: int,
        semantic: float,
    ) -> LinkedSkill:
        skill = self.skills[i]
        first, last = _words_of(hit, window, spans, len(ws))
        start, end = (ws[first].start, ws[last - 1].end) if ws and last > first else (0, len(line))
        return LinkedSkill(
            label=skill.name,
            uri=skill.uri,
            code=skill.code,
            score=round(calibrated, 4),
            mention=Mention(text=line[start:end], start=start, end=end),
            lexical=round(hit.weight, 4) if hit else 0.0,
            semantic=round(semantic, 4),
            how=hit.how if hit else "semantic",
        )


def _words_of(hit: LexicalHit | None, window: int, spans: list[tuple[int, int]], n: int) -> tuple[int, int]:
    """The word range a candidate's mention covers: the lexical hit's, else its best window's."""
    if hit is not None:
        return hit.start, hit.end
    return spans[window] if window >= 0 else (0, n)


def _spread(
    fused: list[tuple[float, int]], where: dict[int, tuple[int, int]], top: int
) -> list[tuple[float, int]]:
    """The first `top` candidates, each demoted by OVERLAP_PENALTY per better one over the same words.

    Greedy: the next is the best after its demotion, and demotions only grow, so the
    scores come out in order. `fused` is sorted best first, which breaks ties as before.
    """
    out: list[tuple[float, int]] = []
    rest = list(fused)
    while rest and len(out) < top:
        best_k, best_raw = 0, -math.inf
        for k, (raw, i) in enumerate(rest):
            if raw <= best_raw:
                break  # sorted: no later candidate can beat the best demoted one
            a, b = where[i]
            demoted = raw - OVERLAP_PENALTY * sum(1 for _, j in out if where[j][0] < b and a < where[j][1])
            if demoted > best_raw:
                best_k, best_raw = k, demoted
        out.append((best_raw, rest.pop(best_k)[1]))
    return out
