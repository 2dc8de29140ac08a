"""Lineage: for a projected field, the event that set it, that event's causes down to the first one,
and (`verify`) proof from the log. The traces callers ask for are named here."""

from projections.lineage.events import TraceError
from projections.lineage.matches import trace_match
from projections.lineage.postings import trace_posting
from projections.lineage.verify import verify

__all__ = ["TraceError", "trace_match", "trace_posting", "verify"]
