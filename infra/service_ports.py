"""The services' ports wired to Kafka and PostgreSQL, for the worker and the tests alike."""

from __future__ import annotations

from infra.barrier import ProjectorBarrier
from infra.context import Context
from processors.ports import CandidateIndex, EventSink, ProjectionBarrier
from processors.services.jury import JuryPorts
from processors.services.matching import MatchingPorts
from processors.services.pipeline import PipelinePorts
from projections.stores.event_log import PostgresEventLog
from projections.stores.jury import PostgresJuryStore
from projections.stores.matching import PostgresMatchingStore
from projections.stores.pipeline import PostgresPipelineStore
from streams.event_sink import KafkaEventSink
from streams.producer import EventProducer


def sink(ctx: Context, client_id: str) -> KafkaEventSink:
    return KafkaEventSink(EventProducer(ctx.endpoints.bootstrap_servers, ctx.codec, client_id=client_id))


def event_log(ctx: Context) -> PostgresEventLog:
    return PostgresEventLog(ctx.endpoints.dsn, ctx.schema)


def barrier(ctx: Context) -> ProjectorBarrier:
    return ProjectorBarrier(ctx.endpoints.bootstrap_servers, event_log(ctx))


def pipeline_ports(ctx: Context, out: EventSink, wait: ProjectionBarrier | None = None) -> PipelinePorts:
    store = PostgresPipelineStore(ctx.endpoints.dsn, ctx.schema)
    return PipelinePorts(store=store, sink=out, log=event_log(ctx), barrier=wait or barrier(ctx))


def matching_ports(
    ctx: Context, out: EventSink, wait: ProjectionBarrier | None = None, index: CandidateIndex | None = None
) -> MatchingPorts:
    store = PostgresMatchingStore(ctx.endpoints.dsn, ctx.schema)
    return MatchingPorts(store=store, sink=out, log=event_log(ctx), barrier=wait or barrier(ctx), index=index)


def jury_ports(ctx: Context, out: EventSink, wait: ProjectionBarrier | None = None) -> JuryPorts:
    store = PostgresJuryStore(ctx.endpoints.dsn, ctx.schema)
    return JuryPorts(store=store, sink=out, log=event_log(ctx), barrier=wait or barrier(ctx))
