"""Avro schemas (the truth for every event), their Python models, and the wire format."""
