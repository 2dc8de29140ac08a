"""`turing up` / `down` / `status`: the embedded stack, its state recorded in the data dir.

Components: SeaweedFS (S3) → Tansu (Kafka protocol) → PostgreSQL → the Turing API (which
serves the schema registry, so serializers can run). Everything binds 127.0.0.1 on ports
chosen free at first start and recorded in ``stack.json``, so two data dirs never collide.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from infra import credentials, postgres, seaweed, tansu
from infra.filemodes import private_dir
from infra.ports import free_ports, port_open, wait_port
from infra.procs import alive, spawn, stop
from infra.settings import Settings, absolute
from infra.stack_state import StackState, Storage

SEAWEED_PORT_NAMES = [
    "master",
    "master_grpc",
    "volume",
    "volume_grpc",
    "filer",
    "filer_grpc",
    "s3",
    "s3_grpc",
    "metrics",
]


def _new_state(data_dir: Path, storage: Storage) -> StackState:
    ports = free_ports(3 + (len(SEAWEED_PORT_NAMES) if storage == "s3" else 0))
    return StackState(
        data_dir=str(data_dir.resolve()),
        storage=storage,
        broker_port=ports[0],
        postgres_port=ports[1],
        api_port=ports[2],
        seaweed_ports=dict(zip(SEAWEED_PORT_NAMES, ports[3:], strict=False)),
    )


def up(data_dir: Path, storage: Storage = "s3", log: object = print, worker: bool = True) -> StackState:
    """Idempotent: a healthy stack is reused; a stale one (after a crash) is cleaned and restarted."""
    say = log if callable(log) else print
    # Every launcher below gets absolute paths: the servers run with other working directories.
    data_dir = absolute(data_dir)
    # The server's unprivileged account (as root) may pass through, no one else may enter.
    pg_gid = postgres.PgRunUser.current().traverse_gid
    private_dir(data_dir, pg_gid)
    private_dir(data_dir / "logs", pg_gid)
    creds = credentials.load_or_create(data_dir)
    state = StackState.read(data_dir)
    if state is not None and state.storage != storage:
        raise RuntimeError(
            f"{data_dir} holds a stack with {state.storage} storage; "
            f"use another --data-dir or `turing down --purge` it first"
        )
    if state is not None and _ports_answer(state):
        running = state.running()
        if all(v for k, v in running.items() if k != "worker"):
            if worker and not running.get("worker", False):
                say("the pipeline worker was not running: starting it")
                state.worker = True
                state.pids["worker"] = start_worker(data_dir, data_dir / "logs" / "worker.log")
                state.write()
            say(f"stack in {data_dir} is already running; reusing it")
            return state
    if state is not None:
        say("found a stale stack (a component is down): cleaning up and restarting")
        _stop_all(state)
        if any(port_open(p) for p in _all_ports(state)):
            # Someone else took our ports meanwhile: pick new ones.
            fresh = _new_state(data_dir, storage)
            state = fresh
    else:
        state = _new_state(data_dir, storage)
    state.pids = {}
    state.worker = worker
    logs = data_dir / "logs"
    try:
        broker_env: dict[str, str] = {}
        if storage == "s3":
            say("starting SeaweedFS (S3 object store)")
            state.pids["seaweedfs"] = seaweed.start(
                data_dir / "seaweedfs", state.seaweed_ports, logs / "seaweedfs.log", creds
            )
            state.write()
            seaweed.ensure_bucket(state.seaweed_ports["s3"], creds)
            broker_env = seaweed.s3_env(creds, state.seaweed_ports["s3"])
        say("starting the broker (Tansu)")
        engine = "s3://tansu/" if storage == "s3" else "memory://tansu/"
        state.pids["broker"] = tansu.start(state.broker_port, engine, logs / "broker.log", broker_env)
        state.write()
        if not wait_port(state.broker_port, 30):
            raise RuntimeError(f"the broker did not open port {state.broker_port}; see {logs / 'broker.log'}")
        say("starting PostgreSQL")
        pgdata = data_dir / "postgres"
        password = creds.postgres_password.get_secret_value()
        postgres.init_cluster(pgdata, password)
        state.pids["postgres"] = postgres.start(pgdata, state.postgres_port, logs / "postgres.log", password)
        state.write()
        _prepare_database(state)
        say("starting the Turing API (schema registry, reads, trace)")
        state.pids["api"] = spawn(
            [
                sys.executable,
                "-m",
                "infra.api.serve",
                "--port",
                str(state.api_port),
                "--data-dir",
                str(data_dir),
            ],
            logs / "api.log",
        )
        state.write()
        if not wait_port(state.api_port, 60):
            raise RuntimeError(f"the API did not open port {state.api_port}; see {logs / 'api.log'}")
        _wait_api(state)
        _ensure_topics(state)
        if worker:
            say("starting the pipeline worker (consumer loops, projector)")
            state.pids["worker"] = start_worker(data_dir, logs / "worker.log")
    except BaseException:
        _stop_all(state)
        raise
    state.write()
    return state


def _prepare_database(state: StackState) -> None:
    from infra.registry.store import migrate_registry
    from infra.taxonomies import configured
    from projections.write.migrate import migrate_all

    migrate_registry(state.endpoints().dsn)
    migrate_all(state.endpoints().dsn, taxonomy=configured(Settings.load(Path(state.data_dir))))


def _ensure_topics(state: StackState) -> None:
    from streams.admin import ensure_topics

    ensure_topics(state.endpoints().bootstrap_servers)


def _wait_api(state: StackState, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{state.api_port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the API did not become healthy")


def _all_ports(state: StackState) -> list[int]:
    return [state.broker_port, state.postgres_port, state.api_port, *state.seaweed_ports.values()]


def start_worker(data_dir: Path, log_path: Path) -> int:
    return spawn([sys.executable, "-m", "infra.worker", "--data-dir", str(data_dir)], log_path)


def _ports_answer(state: StackState) -> bool:
    return all(port_open(p) for p in [state.broker_port, state.postgres_port, state.api_port])


def _stop_all(state: StackState) -> None:
    # Reverse start order: readers first, the object store last so the broker can flush.
    def known(name: str) -> str | None:
        return state.identities.get(str(state.pids.get(name)))

    stop(state.pids.get("worker"), timeout=20, expected=known("worker"))
    stop(state.pids.get("api"), timeout=10, expected=known("api"))
    postgres.stop(Path(state.data_dir) / "postgres")
    stop(state.pids.get("broker"), timeout=10, expected=known("broker"))
    wait_port(state.broker_port, 10, open_=False)
    if state.pids.get("seaweedfs"):
        stop(state.pids.get("seaweedfs"), timeout=40, expected=known("seaweedfs"))
        for port in state.seaweed_ports.values():
            wait_port(port, 10, open_=False)


def down(data_dir: Path, purge: bool = False) -> bool:
    """Stop every process this data dir's stack started (by PID). Returns False if none was recorded."""
    import shutil

    data_dir = absolute(data_dir)
    state = StackState.read(data_dir)
    if state is None:
        return False
    _stop_all(state)
    state.pids = {}
    state.write()
    if purge:
        shutil.rmtree(data_dir, ignore_errors=True)
    return True


def status(data_dir: Path) -> dict[str, object]:
    data_dir = absolute(data_dir)
    state = StackState.read(data_dir)
    if state is None:
        return {"data_dir": str(data_dir), "running": False, "components": []}
    pids = state.component_pids()
    components: list[dict[str, object]] = []
    addresses = {
        "seaweedfs": f"http://127.0.0.1:{state.seaweed_ports.get('s3')} (S3)",
        "broker": f"127.0.0.1:{state.broker_port} ({state.storage})",
        "postgres": postgres.dsn(state.postgres_port),
        "api": f"http://127.0.0.1:{state.api_port}",
        "worker": "consumer group turing-pipeline (logs/worker.log)",
    }
    for name in state.components():
        up_ = alive(pids.get(name))
        healthy = up_ and _component_healthy(state, name)
        components.append(
            {
                "name": name,
                "address": addresses[name],
                "pid": pids.get(name),
                "running": up_,
                "healthy": healthy,
            }
        )
    result: dict[str, object] = {
        "data_dir": state.data_dir,
        "running": all(c["healthy"] for c in components),
        "components": components,
        "topics": [],
    }
    # "running" says every process answers; "healthy" also that the worker's work moves.
    result["healthy"] = result["running"]
    if result["running"] and state.worker:
        result["delivery"] = delivery = _delivery(state)
        result["healthy"] = bool(delivery["healthy"])
    if any(c["name"] == "broker" and c["healthy"] for c in components):
        from streams.admin import describe_topics

        try:
            result["topics"] = describe_topics(state.endpoints().bootstrap_servers)
        except Exception as exc:  # status must report, not crash
            result["topics_error"] = str(exc)
    return result


def _delivery(state: StackState) -> dict[str, object]:
    from infra.delivery_health import delivery_health

    e = state.endpoints()
    try:
        schema = Settings.load(Path(state.data_dir)).projection_schema
    except Exception as exc:  # status reports, it does not crash
        return {"healthy": False, "consumers": [], "error": f"settings: {exc}"}
    return delivery_health(Path(state.data_dir), e.bootstrap_servers, e.dsn, schema, state.pids.get("worker"))


def _component_healthy(state: StackState, name: str) -> bool:
    if name == "postgres":
        return postgres.healthy(state.postgres_port, state.credentials().postgres_password.get_secret_value())
    if name == "seaweedfs":
        return seaweed.healthy(state.seaweed_ports["s3"], state.credentials())
    if name == "broker":
        return port_open(state.broker_port)
    if name == "worker":
        return alive(state.pids.get("worker"))
    if name == "api":
        import httpx

        try:
            return httpx.get(f"http://127.0.0.1:{state.api_port}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    return False
