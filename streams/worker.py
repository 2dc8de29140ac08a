"""`python -m streams.worker`: the pipeline worker (faust agents plus a projector thread).

Started by `turing up` beside the API; `turing worker` runs it in the foreground.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from infra.context import Context
from infra.settings import Settings
from projections.projector import Projector
from streams.embedding_index import EmbeddingIndex
from streams.matching_service import MatchingService
from streams.pipeline_service import PipelineService
from streams.producer import EventProducer

log = logging.getLogger("turing.worker")
GROUP = "turing-pipeline"


def project_forever(projector: Projector, stop: threading.Event, pause_s: float = 0.5) -> None:
    """Keep the live projection level with the log so reads (API, CLI) see runs as they finish."""
    while not stop.is_set():
        try:
            projector.run(stop=stop)
        except Exception:  # keep projecting after a transient broker or database error
            log.exception("projector pass failed; retrying")
        stop.wait(pause_s)


def build_service(ctx: Context, settings: Settings) -> PipelineService:
    return PipelineService(
        ctx.endpoints.dsn,
        ctx.schema,
        ctx.codec,
        ctx.producer,
        settings.pipeline,
        catch_up=ctx.catch_up,
    )


def semantic_index(ctx: Context, settings: Settings) -> EmbeddingIndex | None:
    """The matcher's pgvector index, unless switched off or the provider is not installed."""
    import importlib.util

    if not settings.semantic_matching:
        return None
    if settings.embeddings.provider == "minilm" and importlib.util.find_spec("sentence_transformers") is None:
        log.warning("semantic matching is off: install the `embeddings` extra for MiniLM")
        return None
    from processors.embeddings.provider import provider_from_config

    return EmbeddingIndex(ctx.endpoints.dsn, ctx.schema, lambda: provider_from_config(settings.embeddings))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Turing pipeline worker.")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--no-projector", action="store_true", help="do not run the projector thread")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.load(args.data_dir)
    ctx = Context(settings.endpoints(), component="pipeline", schema=settings.projection_schema)
    service = build_service(ctx, settings)
    if any(opts.get("pool") for opts in settings.pipeline.engine_options.values()):
        # Engines hosted as Ray actors need a Ray runtime (local, or RAY_ADDRESS for a cluster).
        from ray_jobs.engine_pool import start_ray

        start_ray(settings.data_dir)
    stop = threading.Event()
    threads = []
    if not args.no_projector:
        t = threading.Thread(
            target=project_forever, args=(ctx.projector(), stop), daemon=True, name="projector"
        )
        t.start()
        threads.append(t)
    from faust import Worker

    from streams.faust_app import build_app

    # The matcher runs on another executor thread than the pipeline: its own producer keeps
    # each service's delivery reports (and flush errors) its own.
    matcher = MatchingService(
        ctx.endpoints.dsn,
        ctx.schema,
        EventProducer(ctx.endpoints.bootstrap_servers, ctx.codec, client_id="turing-matcher"),
        catch_up=ctx.catch_up,
        config=settings.scoring,
        index=semantic_index(ctx, settings),
    )
    app = build_app(ctx.endpoints.bootstrap_servers, settings.data_dir, service, ctx.codec, GROUP, matcher)
    worker = Worker(app, loglevel=args.log_level, quiet=True, override_logging=False)
    try:
        worker.execute_from_commandline()
    finally:
        stop.set()
        service.close()
        ctx.close()
        sys.exit(0)


if __name__ == "__main__":
    main()
