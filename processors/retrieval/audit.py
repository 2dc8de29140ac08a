"""What each query records for reproducibility and forensics (seed 003 §12).

Built from the same lists `blend` ranked, so an audit replays to the same ranking. The
query text itself is not kept, only its hash: queries can quote a profile.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from processors.retrieval.model import Candidate, Preset, Result


class ScoredId(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    score: float


class RetrievalAudit(BaseModel):
    model_config = ConfigDict(frozen=True)

    trace_id: str
    query_hash: str
    preset: str
    w_lex: float
    w_sem: float
    w_bonus: float
    # None in lexical-only mode (no provider configured, seed 003 §13).
    provider: str | None
    model: str | None
    dimension: int | None
    lexical: tuple[ScoredId, ...]
    semantic: tuple[ScoredId, ...]
    ranking: tuple[Result, ...]


def query_hash(text: str) -> str:
    """sha256 of the query, NFC-normalised and whitespace-collapsed: equal queries, equal hashes."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode()).hexdigest()


def build_audit(
    *,
    trace_id: str,
    query_text: str,
    preset: Preset,
    lexical: Iterable[Candidate],
    semantic: Iterable[Candidate],
    ranking: Iterable[Result],
    provider: str | None = None,
    model: str | None = None,
    dimension: int | None = None,
) -> RetrievalAudit:
    return RetrievalAudit(
        trace_id=trace_id,
        query_hash=query_hash(query_text),
        preset=preset.name,
        w_lex=preset.w_lex,
        w_sem=preset.w_sem,
        w_bonus=preset.w_bonus,
        provider=provider,
        model=model,
        dimension=dimension,
        lexical=tuple(ScoredId(id=c.id, score=c.score) for c in lexical),
        semantic=tuple(ScoredId(id=c.id, score=c.score) for c in semantic),
        ranking=tuple(ranking),
    )
