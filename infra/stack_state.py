"""What `turing up` recorded for one data dir (`stack.json`): ports, PIDs, credentials, addresses.

Settings read it to find the embedded stack; `infra.stack` writes it as it starts and stops
the processes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, PrivateAttr

from infra import credentials, postgres
from infra.credentials import StackCredentials
from infra.endpoints import Endpoints
from infra.filemodes import write_private
from infra.procs import alive, identity
from schemas.registry_client import RegistryAuth

Storage = Literal["s3", "memory"]
STATE_FILE = "stack.json"


class StackState(BaseModel):
    data_dir: str
    storage: Storage
    broker_port: int
    postgres_port: int
    api_port: int
    seaweed_ports: dict[str, int] = {}
    pids: dict[str, int] = {}
    # PID -> start time and program: `down` never signals a PID that another process reused.
    identities: dict[str, str] = {}
    worker: bool = True
    _credentials: StackCredentials | None = PrivateAttr(default=None)

    @classmethod
    def read(cls, data_dir: Path) -> StackState | None:
        path = data_dir / STATE_FILE
        if not path.exists():
            return None
        return cls.model_validate_json(path.read_text())

    def write(self) -> None:
        known = {str(pid): self.identities.get(str(pid)) or identity(pid) for pid in self.pids.values()}
        self.identities = {pid: ident for pid, ident in known.items() if ident}
        write_private(Path(self.data_dir) / STATE_FILE, self.model_dump_json(indent=2).encode())

    def endpoints(self) -> Endpoints:
        creds = self.credentials()
        return Endpoints(
            bootstrap_servers=f"127.0.0.1:{self.broker_port}",
            registry_url=f"http://127.0.0.1:{self.api_port}",
            dsn=postgres.dsn(self.postgres_port, creds.postgres_password.get_secret_value()),
            api_url=f"http://127.0.0.1:{self.api_port}",
            registry_auth=RegistryAuth(username=creds.registry_username, password=creds.registry_password),
        )

    def credentials(self) -> StackCredentials:
        # Read once per state: endpoints() and every health check ask for it.
        if self._credentials is None:
            self._credentials = credentials.load_or_create(Path(self.data_dir))
        return self._credentials

    def component_pids(self) -> dict[str, int | None]:
        pg = postgres.postmaster_pid(Path(self.data_dir) / "postgres")
        return {
            "seaweedfs": self.pids.get("seaweedfs"),
            "broker": self.pids.get("broker"),
            "postgres": pg,
            "api": self.pids.get("api"),
            "worker": self.pids.get("worker"),
        }

    def running(self) -> dict[str, bool]:
        return {name: alive(pid) for name, pid in self.component_pids().items() if name in self.components()}

    def components(self) -> list[str]:
        names = ["broker", "postgres", "api", *(["worker"] if self.worker else [])]
        return (["seaweedfs"] if self.storage == "s3" else []) + names
