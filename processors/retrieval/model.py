"""Hybrid retrieval vocabulary (seed 003 §7-8): candidates, presets, bonuses, results."""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Retriever(StrEnum):
    LEXICAL = "lexical"
    SEMANTIC = "semantic"


class UnitKind(StrEnum):
    """The only two units that are indexed (seed 003 §3)."""

    ATOM = "atom"
    CHUNK = "chunk"


class EvidencePointer(BaseModel):
    """Where a result's claim lives (seed 003 §7.5): an atom by id (and the profile field it
    came from), a chunk by file, lines and heading path."""

    model_config = ConfigDict(frozen=True)

    kind: UnitKind
    atom_id: str | None = None
    source: str | None = None  # e.g. "work_history[2]"
    relative_path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    heading_path: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> EvidencePointer:
        if self.kind is UnitKind.ATOM and not self.atom_id:
            raise ValueError("an atom's evidence pointer needs its atom_id")
        if self.kind is UnitKind.CHUNK and (
            self.relative_path is None or self.start_line is None or self.end_line is None
        ):
            raise ValueError("a chunk's evidence pointer needs relative_path, start_line and end_line")
        return self


class Candidate(BaseModel):
    """One hit from one retriever. `score` is the retriever's own: ts_rank_cd for lexical,
    cosine similarity (1 - cosine distance) for semantic."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    kind: UnitKind = UnitKind.ATOM
    score: float
    evidence: EvidencePointer
    text: str = ""
    domain: str | None = None
    tags: frozenset[str] = frozenset()
    heading_path: str | None = None
    pinned: bool = False

    @model_validator(mode="after")
    def _finite(self) -> Candidate:
        if not math.isfinite(self.score):
            raise ValueError(f"{self.id}: score must be finite")
        return self


class Query(BaseModel):
    """What bonuses compare candidates against (seed 003 §7.4). `text` is only hashed for the audit."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    domain: str | None = None
    tags: frozenset[str] = frozenset()
    heading_path: str | None = None


class Preset(BaseModel):
    """S_final = w_lex·S_lex + w_sem·S_sem + w_bonus·S_bonus (seed 003 §7.3). Weights sum to 1
    so that S_final stays in 0..1 like its parts."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    w_lex: float = Field(ge=0, le=1)
    w_sem: float = Field(ge=0, le=1)
    w_bonus: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Preset:
        total = self.w_lex + self.w_sem + self.w_bonus
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"preset {self.name}: weights sum to {total}, not 1")
        return self


# Seed 003 §8: job matching leans on keywords, the writing corpus on paraphrase.
JOB_MATCHING = Preset(name="job_matching", w_lex=0.55, w_sem=0.35, w_bonus=0.10)
WRITING_CORPUS = Preset(name="writing_corpus", w_lex=0.35, w_sem=0.55, w_bonus=0.10)
PRESETS: dict[str, Preset] = {p.name: p for p in (JOB_MATCHING, WRITING_CORPUS)}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}") from None


class Bonuses(BaseModel):
    """The seed's four deterministic bonuses (§7.4). The seed names them without values:
    these are the project's, chosen to sum to 1 so that S_bonus stays in 0..1 unclipped.

    Tag overlap is proportional: the share of the query's tags the candidate carries.
    """

    model_config = ConfigDict(frozen=True)

    domain_match: float = Field(default=0.3, ge=0, le=1)
    tag_overlap: float = Field(default=0.3, ge=0, le=1)
    heading_path: float = Field(default=0.2, ge=0, le=1)
    pinned: float = Field(default=0.2, ge=0, le=1)

    @model_validator(mode="after")
    def _at_most_one(self) -> Bonuses:
        total = self.domain_match + self.tag_overlap + self.heading_path + self.pinned
        if total > 1 + 1e-9:
            raise ValueError(f"bonuses sum to {total}; S_bonus must stay within 0..1")
        return self


class Provenance(BaseModel):
    """Which retriever found a result, at what rank, with its raw and normalised score."""

    model_config = ConfigDict(frozen=True)

    retriever: Retriever
    rank: int = Field(ge=1)
    raw_score: float
    normalized: float = Field(ge=0, le=1)


class BonusReason(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    value: float = Field(ge=0, le=1)
    detail: str


class Result(BaseModel):
    """One merged result with its score breakdown and evidence (seed 003 §7.5)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: UnitKind
    evidence: EvidencePointer
    text: str
    s_lex: float = Field(ge=0, le=1)
    s_sem: float = Field(ge=0, le=1)
    s_bonus: float = Field(ge=0, le=1)
    s_final: float = Field(ge=0, le=1)
    provenance: tuple[Provenance, ...] = Field(min_length=1)
    bonuses: tuple[BonusReason, ...] = ()

    @property
    def found_by(self) -> str:
        """ "lexical", "semantic" or "both"."""
        found = {p.retriever for p in self.provenance}
        return "both" if len(found) > 1 else next(iter(found)).value
