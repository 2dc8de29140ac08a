"""Which matches convene a jury, and which engine sits in each seat."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from processors.jury.rules import JURY_RULES_1
from processors.llm.protocol import EngineSpec

DEFAULT_ENGINE = f"rules:{JURY_RULES_1}"
# Seed 000: the jury is for edge cases, not for clear yeses and clear noes.
DEFAULT_BAND = ("Worth a Look", "Stretch Opportunity")


class JuryConfig(BaseModel):
    model_config = ConfigDict(frozen=True)
    band: tuple[str, ...] = Field(default=DEFAULT_BAND, description="recommendations that convene a jury")
    oscar: str = DEFAULT_ENGINE
    rita: str = DEFAULT_ENGINE
    helen: str = DEFAULT_ENGINE

    @field_validator("oscar", "rita", "helen")
    @classmethod
    def _spec(cls, value: str) -> str:
        return str(EngineSpec.parse(value))

    def engine_for(self, role: str) -> str:
        return str(getattr(self, role))

    def with_engines(self, overrides: dict[str, str]) -> JuryConfig:
        unknown = sorted(set(overrides) - {"oscar", "rita", "helen"})
        if unknown:
            raise ValueError(f"unknown jury role(s) {', '.join(unknown)}; roles: oscar, rita, helen")
        return JuryConfig.model_validate({**self.model_dump(), **overrides})
