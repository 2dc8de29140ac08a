"""Columns of the postings projection that the write side fills and the read side and lineage select."""

from __future__ import annotations

from schemas.models import PostingContent

# The Avro-backed model is the one list of content fields.
CONTENT_FIELDS: tuple[str, ...] = tuple(PostingContent.model_fields)
# Fields a trace can ask about: the content, plus the posting's state (`field_events` keys).
TRACEABLE_FIELDS = (*CONTENT_FIELDS, "status", "version", "content_hash", "normaliser")
