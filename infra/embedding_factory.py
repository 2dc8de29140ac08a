"""The settings' `embeddings` section -> an embedding provider (the adapters live in
`ray_jobs.embeddings`), as `engine_factory` does for the LLM engines."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from processors.embeddings.provider import EmbeddingConfig, EmbeddingError, EmbeddingProvider
from ray_jobs.embeddings.providers import MiniLMProvider, OpenAIEmbeddingsProvider


def provider_from_config(cfg: EmbeddingConfig | Mapping[str, Any] | None = None) -> EmbeddingProvider:
    """Build the configured provider (a mapping is validated as an `EmbeddingConfig`)."""
    config = cfg if isinstance(cfg, EmbeddingConfig) else EmbeddingConfig.model_validate(dict(cfg or {}))
    if config.provider == "minilm":
        return MiniLMProvider(
            config.model_path,
            batch_size=config.batch_size,
            device=config.device,
            model=config.model,
            dimension=config.dimension,
        )
    api_key = None
    if config.api_key_env:
        api_key = os.environ.get(config.api_key_env)
        if not api_key:
            raise EmbeddingError(f"environment variable {config.api_key_env} (the API key) is not set")
    return OpenAIEmbeddingsProvider(
        base_url=config.base_url,
        model=config.model,
        dimension=config.dimension,
        batch_size=config.batch_size,
        timeout_s=config.timeout_s,
        api_key=api_key,
        send_dimensions=config.send_dimensions,
    )
