"""The app served as in production, for the figures measured over HTTP (7 and 8).

    with served(workers=2, threads=4) as server:
        server.url, server.worker_rss()

gunicorn with bench/server_settings.py (production settings, the bench's URLs) against the
database Django is connected to now (the scale's scratch database), on a free local port. The
gthread worker: the only built-in worker that keeps connections alive (a gateway holds its
connection open) and serves several requests at once per process while one waits on the
database or Redis. Stopped (SIGTERM to the master, which stops its workers) when the block ends.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED_RATE = "100000000/hour"


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen
    workers: int
    threads: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def worker_pids(self) -> list[int]:
        master = self.process.pid
        path = Path(f"/proc/{master}/task/{master}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def worker_rss(self) -> list[int]:
        """Resident memory of each worker, in bytes (VmRSS from /proc)."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) * 1024)
        return sizes

    def worker_of(self, client_port: int) -> int | None:
        """The worker holding the connection from `client_port` (None: not accepted yet)."""
        inode = None
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if int(local.rsplit(":", 1)[1], 16) == self.port and (
                int(remote.rsplit(":", 1)[1], 16) == client_port
            ):
                inode = fields[9]
        if inode is None:
            return None
        wanted = f"socket:[{inode}]"
        for pid in self.worker_pids():
            try:
                links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            except OSError:
                continue
            if wanted in links:
                return pid
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """DATABASE_URL with the database name Django uses now (the scale's scratch database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(
                    b"GET /bench/constant HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
                )
                if probe.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


@contextmanager
def served(*, workers: int, threads: int, log: Path | None = None):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        # The bench's own key: a session made in the bench process (the person who pauses)
        # must verify on the server.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": _database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PILOTDECK_API_RATE_USER": UNLIMITED_RATE,
        "PILOTDECK_API_RATE_TOKEN": UNLIMITED_RATE,
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--backlog",
        "512",
        # The bulk form's 1,000 ids make a request line of about 6 KB (the default limit is
        # 4 KB); 8 KB is gunicorn's largest.
        "--limit-request-line",
        "8190",
        "--log-level",
        "warning",
    ]
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(port, process)
        yield Server("127.0.0.1", port, process, workers, threads)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()
