"""`python -m infra.worker`: the pipeline worker — five consumer loops and a projector thread.

The services read the projection only after waiting at the projection barrier
(`infra/barrier.py`) for the one projector, this worker's thread or (with
`--no-projector`) the projector process, to apply the log so far.

Started by `turing up` beside the API; `turing worker` runs it in the foreground.

Loops (each its own consumer group, thread and producer, so one loop's delivery errors are
never another's): `orchestrator` (postings → commands), `pipeline` (commands → runs,
decisions, derivations), `matcher` (derivations → matches), `matcher-profiles`
(profiles → matches) and `jury` (matches → the jury's decisions for borderline matches).
A loop that crashes is restarted from its last committed offsets; one that keeps crashing
makes the worker exit with status 1, so whoever supervises it
(`turing up`, systemd, Kubernetes) restarts the process. The worker's health goes to
``DATA_DIR/worker-health.json`` (see `streams/health.py`).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infra import service_ports
from infra.context import Context
from infra.engines import engine_cache
from infra.settings import Settings
from infra.taxonomies import configured
from processors.services.jury import JuryService
from processors.services.matching import MatchingService
from processors.services.pipeline import Orchestrator, PipelineService
from processors.taxonomy import store
from processors.taxonomy.model import Taxonomy, short_identity
from projections.stores.candidate_index import EmbeddingIndex
from projections.write.projector import Projector, ProjectorStats
from schemas.models import CommandEvent, DerivationEvent, MatchEvent, PostingEvent, ProfileEvent
from streams.consumer_loop import ConsumerLoop
from streams.health import HEALTH_FILE, HealthBoard
from streams.producer import EventProducer

log = logging.getLogger("turing.worker")
# The pipeline keeps the group faust used, so an existing stack resumes where it was.
GROUP = "turing-pipeline"
GROUPS = {
    "orchestrator": "turing-orchestrator",
    "pipeline": GROUP,
    "matcher": "turing-matcher",
    "matcher-profiles": "turing-matcher-profiles",
    "jury": "turing-jury",  # matches -> the jury's decisions for borderline ones
}
MAX_RESTARTS = 5
RESTART_WINDOW_S = 300.0


def project_forever(
    projector: Projector, stop: threading.Event, health: HealthBoard | None = None, pause_s: float = 0.5
) -> None:
    """Keep the live projection level with the log so reads (API, CLI) see runs as they finish."""
    if health is not None:
        health.consumer("projector", "-", "*")
    before = ProjectorStats()  # totals of the passes that ended

    def progressed(stats: ProjectorStats) -> None:
        if health is not None:
            health.progressed("projector", {}, 0)
            health.update("projector", records=before.events + stats.events,
                          dead_letters=before.dead_lettered + stats.dead_lettered)  # fmt: skip

    while not stop.is_set():
        stats = ProjectorStats()
        try:
            if health is not None:
                health.update("projector", state="running")
            stats = projector.run(stop=stop, on_batch=progressed)
            if health is not None:
                health.progressed("projector", {}, 0)  # caught up is progress too
        except Exception as exc:  # keep projecting after a transient broker or database error
            log.exception("projector pass failed; retrying")
            if health is not None:
                health.error("projector", exc, state="retrying")
        before.events += stats.events
        before.dead_lettered += stats.dead_lettered
        stop.wait(pause_s)


def own_projector(ctx: Context, name: str) -> Projector:
    """A projector whose dead letters go through a producer of its own.

    A producer's flush reports every outstanding record's failure to whoever flushes; shared
    between threads, one thread could consume the error of another's dead letter and commit
    past a record whose dead letter never landed.
    """
    dead = EventProducer(ctx.endpoints.bootstrap_servers, ctx.codec, client_id=f"turing-{name}-projector")
    return Projector(ctx.endpoints.dsn, ctx.log_reader, ctx.codec, ctx.schema, dead)


def build_service(ctx: Context, settings: Settings, taxonomy: Taxonomy) -> PipelineService:
    ports = service_ports.pipeline_ports(ctx, service_ports.sink(ctx, "turing-pipeline"))
    return PipelineService(
        ports, settings.pipeline, engines=engine_cache(settings.pipeline.engine_options, taxonomy)
    )


def semantic_index(ctx: Context, settings: Settings) -> EmbeddingIndex | None:
    """The matcher's pgvector index, unless switched off or the provider is not installed."""
    import importlib.util

    if not settings.semantic_matching:
        return None
    if settings.embeddings.provider == "minilm" and importlib.util.find_spec("sentence_transformers") is None:
        log.warning("semantic matching is off: install the `embeddings` extra for MiniLM")
        return None
    from infra.embedding_factory import provider_from_config

    return EmbeddingIndex(ctx.endpoints.dsn, ctx.schema, lambda: provider_from_config(settings.embeddings))


def supervise(
    loop: ConsumerLoop,
    stop: threading.Event,
    fatal: threading.Event,
    max_restarts: int = MAX_RESTARTS,
    pause: Callable[[int], float] = lambda crashes: min(30.0, 2.0**crashes),
) -> None:
    """Run a loop; restart it when it crashes, and give up (fatal) when it crashes too often."""
    crashes: deque[float] = deque()
    while not stop.is_set():
        try:
            loop.run(stop)
            return
        except Exception as exc:
            log.exception("consumer %s crashed", loop.name)
            loop.health.error(loop.name, exc, state="crashed")
            now = time.monotonic()
            crashes.append(now)
            while crashes and now - crashes[0] > RESTART_WINDOW_S:
                crashes.popleft()
            if len(crashes) > max_restarts:
                log.critical("consumer %s crashed %d times in %.0fs: the worker exits", loop.name,
                             len(crashes), RESTART_WINDOW_S)  # fmt: skip
                fatal.set()
                stop.set()
                return
            loop.health.count(loop.name, restarts=1)
            stop.wait(pause(len(crashes)))


def build_loops(
    ctx: Context, settings: Settings, service: PipelineService, matcher: MatchingService, health: HealthBoard
) -> list[ConsumerLoop]:
    bootstrap = ctx.endpoints.bootstrap_servers

    def producer(name: str) -> EventProducer:
        return EventProducer(bootstrap, ctx.codec, client_id=f"turing-{name}")

    orchestrator = Orchestrator(service_ports.sink(ctx, "turing-orchestrator"), health)
    service.observer = health
    matcher.observer = health

    def loop(name: str, topic: str, handler: Any, accepts: type, batch: int, within: float) -> ConsumerLoop:
        return ConsumerLoop(name, bootstrap, GROUPS[name], topic, ctx.codec, handler, accepts,
                            producer(f"{name}-deadletters"), health, batch, within)  # fmt: skip

    # The jury's tasks read no taxonomy: the built-in one is as good as any.
    jury = JuryService(service_ports.jury_ports(ctx, service_ports.sink(ctx, "turing-jury")), settings.jury,
                       health, engines=engine_cache(settings.pipeline.engine_options, store.builtin()))  # fmt: skip
    return [
        loop("orchestrator", "postings", orchestrator.handle_postings, PostingEvent, 256, 0.5),
        loop("pipeline", "commands", service.handle_commands, CommandEvent, service.config.batch_size, 1.0),
        loop("matcher", "derivations", matcher.handle, DerivationEvent, 256, 1.0),
        loop("matcher-profiles", "profiles", matcher.handle, ProfileEvent, 256, 1.0),
        loop("jury", "matches", jury.handle_matches, MatchEvent, 256, 1.0),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Turing pipeline worker.")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--no-projector", action="store_true", help="do not run the projector thread")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.load(args.data_dir)
    ctx = Context(settings.endpoints(), component="pipeline", schema=settings.projection_schema)
    taxonomy = configured(settings)  # chosen once: every step and the matcher read this one
    log.info("taxonomy %s (%d skills)", short_identity(taxonomy.identity), len(taxonomy.skills))
    service = build_service(ctx, settings, taxonomy)
    if any(opts.get("pool") for opts in settings.pipeline.engine_options.values()):
        # Engines hosted as Ray actors need a Ray runtime (local, or RAY_ADDRESS for a cluster).
        from ray_jobs.engine_pool import start_ray

        start_ray(settings.data_dir)
    stop, fatal = threading.Event(), threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    health = HealthBoard(settings.data_dir / HEALTH_FILE)
    matcher = MatchingService(
        service_ports.matching_ports(
            ctx, service_ports.sink(ctx, "turing-matcher"), index=semantic_index(ctx, settings)
        ),
        config=settings.scoring,
        taxonomy=taxonomy,
    )
    threads = [threading.Thread(target=health.write_forever, args=(stop,), name="health", daemon=True)]
    if not args.no_projector:
        threads.append(
            threading.Thread(
                target=project_forever,
                args=(own_projector(ctx, "live"), stop, health),
                name="projector",
                daemon=True,
            )
        )
    loops = build_loops(ctx, settings, service, matcher, health)
    threads += [
        threading.Thread(target=supervise, args=(lp, stop, fatal), name=lp.name, daemon=True) for lp in loops
    ]
    for t in threads:
        t.start()
    log.info("worker up: %s", ", ".join(f"{lp.name} ({lp.topic}, group {lp.group})" for lp in loops))
    try:
        while not stop.wait(1.0):
            dead = [t.name for t in threads[1:] if not t.is_alive()]
            if dead:  # a thread that ended without a stop is a bug: don't run on half a worker
                log.critical("worker threads ended unexpectedly: %s", ", ".join(dead))
                fatal.set()
                stop.set()
        for t in threads:
            t.join(timeout=20)
    finally:
        stop.set()
        service.close()
        ctx.close()
    sys.exit(1 if fatal.is_set() else 0)


if __name__ == "__main__":
    main()
