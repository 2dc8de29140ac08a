"""Where Turing finds its broker, registry and database.

Embedded mode reads the addresses that `turing up` recorded in the data dir; production
mode takes them from environment variables (prefix ``TURING_``) or a TOML config file
named by ``TURING_CONFIG``. A value a command recorded for the stack (`turing taxonomy use`,
in the data dir's `settings.toml`) wins over the file; the environment wins over both.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import SettingsConfigDict

from infra import stack_settings
from infra.connection_settings import ConnectionSettings
from infra.endpoints import Endpoints
from infra.stack_state import StackState
from processors.embeddings.provider import EmbeddingConfig
from processors.jury.config import JuryConfig
from processors.pipeline.config import PipelineConfig
from processors.scoring.config import ScoringConfig
from schemas.errors import ConfigError
from streams import security

DEFAULT_DATA_DIR = Path(".data/stack")


class Settings(ConnectionSettings):
    model_config = SettingsConfigDict(env_prefix="TURING_", extra="ignore")

    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="embedded stack state")
    bootstrap_servers: str | None = Field(default=None, description="Kafka bootstrap servers")
    registry_url: str | None = Field(default=None, description="Confluent schema registry URL")
    dsn: str | None = Field(default=None, description="PostgreSQL connection string")
    projection_schema: str = "proj"
    pipeline: PipelineConfig = Field(
        default_factory=PipelineConfig,
        validate_default=True,
        description="engines per task, retries (Lily: rules:hybrid-1 unless named)",
    )
    embeddings: EmbeddingConfig = Field(default_factory=EmbeddingConfig, description="embedding provider")
    scoring: ScoringConfig = Field(
        default_factory=ScoringConfig, description="weights, thresholds, extensions"
    )
    jury: JuryConfig = Field(
        default_factory=JuryConfig, description="the band that convenes a jury, engine per seat"
    )
    semantic_matching: bool = Field(
        default=True, description="kNN candidates and embedding similarity in matching (needs the provider)"
    )
    producer_name: str = "turing"
    taxonomy: str = Field(
        default="builtin", description="the skill taxonomy: builtin, esco, or a taxonomy file"
    )

    @field_validator("taxonomy")
    @classmethod
    def _taxonomy(cls, value: str) -> str:
        return value.strip() or "builtin"

    @field_validator("pipeline")
    @classmethod
    def _lily_default(cls, value: PipelineConfig) -> PipelineConfig:
        return value.with_lily_default()

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        return absolute(value)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Settings:
        file_values: dict[str, Any] = {}
        config = os.environ.get("TURING_CONFIG")
        if config:
            path = absolute(Path(config))
            if not path.is_file():
                raise ConfigError(f"TURING_CONFIG points at {path}, which is not a file")
            with path.open("rb") as fh:
                file_values = tomllib.load(fh)
        # Environment variables win over the file, as operators expect when overriding one value.
        overridden = {name for name in cls.model_fields if f"TURING_{name.upper()}" in os.environ}
        unknown = set(file_values) - set(cls.model_fields)
        if unknown:
            raise ConfigError(f"{config}: unknown settings {', '.join(sorted(unknown))}")
        try:
            settings = cls(**{k: v for k, v in file_values.items() if k not in overridden})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
            )
            where = f"{config} or TURING_* variables" if config else "TURING_* environment variables"
            raise ConfigError(f"invalid settings in {where}: {problems}") from None
        if data_dir is not None:
            settings.data_dir = absolute(data_dir)
        try:
            recorded = stack_settings.read(settings.data_dir)
        except stack_settings.StackSettingsError as exc:
            raise ConfigError(str(exc)) from None
        if "taxonomy" in recorded and "taxonomy" not in overridden:
            settings.taxonomy = cls._taxonomy(recorded["taxonomy"])
        return settings

    def setting_origin(self, name: str) -> str:
        """Where a setting's value comes from: the environment, the stack, the file, or the default."""
        if f"TURING_{name.upper()}" in os.environ:
            return f"TURING_{name.upper()}"
        if name in stack_settings.read(self.data_dir):
            return str(stack_settings.path(self.data_dir))
        config = os.environ.get("TURING_CONFIG")
        if config and name in self.model_fields_set:
            return config
        return "default"

    @property
    def production(self) -> bool:
        return bool(self.bootstrap_servers and self.registry_url and self.dsn)

    def endpoints(self) -> Endpoints:
        """Explicit settings win; otherwise the running embedded stack's addresses."""
        if self.production:
            assert self.bootstrap_servers and self.registry_url and self.dsn
            try:
                kafka = self.kafka_security()
                registry = self.registry_auth()
            except ValidationError as exc:
                problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
                raise ConfigError(f"invalid connection settings: {problems}") from None
            # Every Kafka client this process makes for this cluster authenticates this way.
            security.use(self.bootstrap_servers, kafka)
            return Endpoints(
                bootstrap_servers=self.bootstrap_servers,
                registry_url=self.registry_url,
                dsn=self.secure_dsn(self.dsn),
                registry_auth=registry,
            )
        state = StackState.read(self.data_dir)
        if state is None:
            raise ConfigError(
                f"no embedded stack is recorded in {self.data_dir}: run `turing up` first, "
                "or set TURING_BOOTSTRAP_SERVERS, TURING_REGISTRY_URL and TURING_DSN"
            )
        return state.endpoints()


def absolute(path: Path) -> Path:
    """Resolve a path once, where it is read: relative to the caller's working directory."""
    return path.expanduser().resolve()
