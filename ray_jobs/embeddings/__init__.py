"""Embedding providers (adapters): MiniLM on the CPU through sentence-transformers, and any
OpenAI-compatible embeddings endpoint."""
