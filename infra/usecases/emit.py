"""What every ingest ends with: its events on the log, and the projection caught up to them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from infra.context import Context
from streams.producer import targets_of

Phase = Callable[[str, int | None], None]


def quiet_phase(_name: str, _total: int | None) -> None:
    return None


def emit_and_project(
    ctx: Context, events: Sequence[Any], phase: Phase, on_event: Callable[[], None] | None = None
) -> None:
    """Send `events`, flush them, and wait until the projection holds every one delivered.

    Change detection of the next ingest reads the projection, so returning earlier would let a
    quick second ingest of the same file plan the same events again.
    """
    phase("emitting", len(events))
    for event in events:
        ctx.producer.send(event)
        if on_event:
            on_event()
    deliveries = ctx.producer.flush()
    phase("projecting", None)
    ctx.catch_up(targets_of(deliveries))
