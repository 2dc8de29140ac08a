"""The domain: one module per pipeline step. No I/O here."""
