"""The topic catalogue: one record schema per topic, keyed by the entity whose order matters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    key: str
    partitions: int
    retention_ms: int = -1  # history is the product: keep everything
    what: str = ""

    @property
    def config(self) -> dict[str, str]:
        return {"retention.ms": str(self.retention_ms), "cleanup.policy": "delete"}

    @property
    def subject(self) -> str:
        """TopicNameStrategy, as Confluent serializers expect."""
        return f"{self.name}-value"


SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000
# Dead letters are triage material, not history: they expire after 30 days.
DEADLETTER_RETENTION_MS = 30 * 24 * 3600 * 1000

CATALOGUE: tuple[Topic, ...] = (
    Topic("postings", "posting id", 3, what="a posting observed, changed, seen again or withdrawn"),
    Topic("profiles", "profile id", 3, what="a candidate profile created or changed"),
    Topic("commands", "posting id", 3, what="a request to process a posting from a start step"),
    Topic("runs", "posting id", 3, what="a run started, completed or failed"),
    Topic("decisions", "posting or profile id", 3, what="one model or rule decision with provenance"),
    Topic("derivations", "posting id", 3, what="a new version of a posting's derived state"),
    Topic("matches", "profile id", 3, what="a scored, explained match"),
    Topic("feedback", "profile id", 3, what="a person's verdict on a match"),
    Topic("access", "viewer", 3, what="a read of a sensitive posting field: who, stage, what was shown"),
    # Restricted: tokens and stages are written by the API and the operators' CLI only (ACLs in production).
    Topic("tokens", "viewer", 1, what="an API bearer token issued or revoked (its hash, never the token)"),
    Topic("stages", "profile id", 3, what="the reveal stage of a (profile, posting) pair moved, by whom"),
    Topic("erasures", "profile id", 3, what="a profile erased: its key destroyed, its matches withdrawn"),
    Topic(
        "deadletters",
        "original key",
        1,
        retention_ms=DEADLETTER_RETENTION_MS,
        what="what a processor could not handle, with coordinates, raw bytes and error",
    ),
)

BY_NAME: dict[str, Topic] = {t.name: t for t in CATALOGUE}


def topic(name: str) -> Topic:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown topic {name!r}; known: {', '.join(BY_NAME)}") from None
