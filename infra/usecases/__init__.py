"""The use cases: what a user asks of Turing (ingest, withdraw, reprocess, rollback, search, score,
feedback), each a plain function taking its collaborators and returning a typed answer. The CLI and
the API both call these; neither holds the logic itself."""
