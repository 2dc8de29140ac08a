"""The faust-streaming app: two agents around the pure handlers.

- `orchestrate` reads `postings` and turns new or changed postings into commands.
- `pipeline` reads `commands` in batches (one engine call per task per batch) and emits
  runs, decisions and derivations.
- `match_postings` and `match_profiles` read new derivation and profile versions and emit
  match events for their candidates.

Offsets are acknowledged only after a batch's events are flushed to the log, so a
crash re-delivers the batch and the deterministic event ids make the replay a no-op
in the projections. No faust Tables: state lives in Postgres (a measured broker quirk).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import faust

from schemas.codec import EventCodec
from schemas.models import CommandEvent, DerivationEvent, PostingEvent, ProfileEvent
from streams.matching_service import MatchingService
from streams.pipeline_service import PipelineService
from streams.quirks import faust_broker_settings

log = logging.getLogger("turing.worker")


def build_app(
    bootstrap: str,
    data_dir: Path,
    service: PipelineService,
    codec: EventCodec,
    group: str,
    matcher: MatchingService | None = None,
) -> faust.App:
    app = faust.App(
        group,
        broker=f"kafka://{bootstrap}",
        datadir=str(data_dir / "faust"),
        value_serializer="raw",
        key_serializer="raw",
        web_enabled=False,
        topic_allow_declare=False,
        topic_disable_leader=True,
        **faust_broker_settings(),
    )
    postings = app.topic("postings", value_type=bytes, key_type=bytes)
    commands = app.topic("commands", value_type=bytes, key_type=bytes)
    batch = service.config.batch_size

    def decode(topic: str, values: list[Any]) -> list[Any]:
        events = []
        for value in values:
            try:
                events.append(codec.decode(topic, value)[1])
            except Exception as exc:  # a poison record must not stop the agent
                log.error("undecodable record on %s skipped (the projector dead-letters it): %s", topic, exc)
        return events

    @app.agent(postings)
    async def orchestrate(stream: Any) -> None:
        async for values in stream.take(256, within=0.5):
            events = [e for e in decode("postings", values) if isinstance(e, PostingEvent)]
            await asyncio.get_running_loop().run_in_executor(None, service.handle_postings, events)

    @app.agent(commands)
    async def pipeline(stream: Any) -> None:
        async for values in stream.take(batch, within=1.0):
            events = [e for e in decode("commands", values) if isinstance(e, CommandEvent)]
            await asyncio.get_running_loop().run_in_executor(None, service.handle_commands, events)

    if matcher is not None:
        derivations = app.topic("derivations", value_type=bytes, key_type=bytes)
        profiles = app.topic("profiles", value_type=bytes, key_type=bytes)

        @app.agent(derivations)
        async def match_postings(stream: Any) -> None:
            async for values in stream.take(256, within=1.0):
                events = [e for e in decode("derivations", values) if isinstance(e, DerivationEvent)]
                await asyncio.get_running_loop().run_in_executor(None, matcher.handle_derivations, events)

        @app.agent(profiles)
        async def match_profiles(stream: Any) -> None:
            async for values in stream.take(256, within=1.0):
                events = [e for e in decode("profiles", values) if isinstance(e, ProfileEvent)]
                await asyncio.get_running_loop().run_in_executor(None, matcher.handle_profiles, events)

    return app
