"""Profile evidence for each matched requirement (seed 003 used for matching): the profile's
best experience atom per requirement, found by the hybrid retriever's lexical side and
blended with the job-matching preset so each pointer carries its provenance."""

from __future__ import annotations

from typing import Any

import psycopg

from processors.matching.match import PostingVersion, ProfileVersion
from processors.retrieval.blend import blend
from processors.retrieval.lexical import lexical_query
from projections.stores.retrieval import lexical_candidates


def requirement_evidence(
    conn: psycopg.Connection[Any], schema: str, p: ProfileVersion, q: PostingVersion, per_requirement: int = 1
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, req in enumerate(q.posting.requirements or []):
        terms = [s.skill.name for s in req.proof_stacks if s.skill] + [
            s.certification.name for s in req.proof_stacks if s.certification
        ]
        if not terms:
            continue
        found = lexical_candidates(
            conn, schema, p.profile_id, lexical_query(" ".join(dict.fromkeys(terms))), 10
        )
        for r in blend(found, [], "job_matching", limit=per_requirement):
            out.append(
                {
                    "requirement_index": i,
                    "requirement": req.text,
                    "atom_id": r.id,
                    "source": r.evidence.source,
                    "text": r.text,
                    "score": round(r.s_final, 4),
                    "found_by": r.found_by,
                }
            )
    return out
