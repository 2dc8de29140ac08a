"""Hybrid retrieval (seed 003): experience atoms and chunks, lexical + semantic candidates, one blend."""

from processors.retrieval.atoms import ExperienceAtom, atoms_from_profile, parse_date
from processors.retrieval.audit import RetrievalAudit, ScoredId, build_audit, query_hash
from processors.retrieval.blend import DEFAULT_BONUSES, blend, bonus_reasons
from processors.retrieval.chunks import DocumentChunk, chunk_markdown
from processors.retrieval.model import (
    JOB_MATCHING,
    PRESETS,
    WRITING_CORPUS,
    Bonuses,
    BonusReason,
    Candidate,
    EvidencePointer,
    Preset,
    Provenance,
    Query,
    Result,
    Retriever,
    UnitKind,
    get_preset,
)

__all__ = [
    "DEFAULT_BONUSES",
    "JOB_MATCHING",
    "PRESETS",
    "WRITING_CORPUS",
    "BonusReason",
    "Bonuses",
    "Candidate",
    "DocumentChunk",
    "EvidencePointer",
    "ExperienceAtom",
    "Preset",
    "Provenance",
    "Query",
    "Result",
    "RetrievalAudit",
    "Retriever",
    "ScoredId",
    "UnitKind",
    "atoms_from_profile",
    "blend",
    "bonus_reasons",
    "build_audit",
    "chunk_markdown",
    "get_preset",
    "parse_date",
    "query_hash",
]
