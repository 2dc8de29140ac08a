"""Wire the adapters together once, for the CLI, the API and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from infra.endpoints import Endpoints
from projections.db import LIVE_SCHEMA
from projections.write.projector import Projector, ProjectorStats
from schemas.codec import EventCodec
from schemas.models import Producer
from schemas.registry_client import ConfluentRegistry
from streams.log_reader import KafkaLogReader
from streams.producer import EventProducer


def _version() -> str:
    # The installed distribution's version; a bare checkout (not installed) falls back.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("turing")
    except PackageNotFoundError:
        return "0.1.0"


VERSION = _version()


@dataclass
class Context:
    endpoints: Endpoints
    component: str = "turing-cli"
    schema: str = LIVE_SCHEMA
    _closers: list[object] = field(default_factory=list)

    @cached_property
    def registry(self) -> ConfluentRegistry:
        return ConfluentRegistry(self.endpoints.registry_url, self.endpoints.registry_auth)

    @cached_property
    def codec(self) -> EventCodec:
        return EventCodec(self.registry)

    @cached_property
    def producer(self) -> EventProducer:
        return EventProducer(self.endpoints.bootstrap_servers, self.codec, client_id=self.component)

    @cached_property
    def log_reader(self) -> KafkaLogReader:
        """The topics as projections and traces read them."""
        return KafkaLogReader(self.endpoints.bootstrap_servers)

    @property
    def producer_meta(self) -> Producer:
        return Producer(component=self.component, version=VERSION)

    def projector(self, schema: str | None = None) -> Projector:
        return Projector(
            self.endpoints.dsn,
            self.log_reader,
            self.codec,
            schema=schema or self.schema,
            dead_letters=self.producer,
        )

    def catch_up(self, targets: dict[tuple[str, int], int] | None = None) -> ProjectorStats:
        """Project everything in the log so far (drain until idle past `targets`)."""
        return self.projector().run(targets=targets)

    def close(self) -> None:
        if "producer" in self.__dict__:
            self.producer.flush()
        if "registry" in self.__dict__:
            self.registry.close()
