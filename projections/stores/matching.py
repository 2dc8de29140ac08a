"""The matcher's reads (MatchingStore) over the projection: one connection per batch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from processors.matching.match import PostingVersion, ProfileVersion
from processors.ports import PreviousMatches
from processors.taxonomy.model import Taxonomy
from projections import db
from projections.read import matches as matching_queries
from projections.read.evidence import requirement_evidence


class PostgresMatchingReads:
    def __init__(self, conn: psycopg.Connection[Any], schema: str):
        self.conn, self.schema = conn, schema

    def profile_versions(self, ids: Sequence[str] | None = None) -> list[ProfileVersion]:
        return matching_queries.profile_versions(self.conn, self.schema, None if ids is None else list(ids))

    def posting_versions(self, ids: Sequence[str], taxonomy: Taxonomy) -> list[PostingVersion]:
        return matching_queries.posting_versions(self.conn, self.schema, list(ids), taxonomy)

    def previous_matches(
        self, profile_ids: Sequence[str], posting_ids: Sequence[str] | None = None
    ) -> PreviousMatches:
        return matching_queries.previous_matches(
            self.conn, self.schema, list(profile_ids), None if posting_ids is None else list(posting_ids)
        )

    def postings_sharing_codes(self, codes: Sequence[str], k: int) -> list[str]:
        return matching_queries.postings_sharing_codes(self.conn, self.schema, list(codes), k)

    def requirement_evidence(self, p: ProfileVersion, q: PostingVersion) -> list[dict[str, Any]]:
        return requirement_evidence(self.conn, self.schema, p, q)


class PostgresMatchingStore:
    def __init__(self, dsn: str, schema: str):
        self.dsn, self.schema = dsn, schema

    @contextmanager
    def reading(self) -> Iterator[PostgresMatchingReads]:
        with db.connect(self.dsn) as conn:
            yield PostgresMatchingReads(conn, self.schema)
