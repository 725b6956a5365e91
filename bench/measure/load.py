"""A bounded load generator: N keep-alive connections, a fixed number of requests in all.

One thread per connection, each sending its share of the requests back to back over a raw
HTTP/1.1 socket (requests are prepared bytes, answers are read by Content-Length), so the client
costs a few microseconds a request and the figures are the server's. Latency is measured per
request on the client (send to last byte); throughput is requests over the wall time from the
moment every connection is open to the last answer.
"""

import math
import socket
import threading
import time
from dataclasses import dataclass


class Connection:
    """One keep-alive connection; reconnects if the server closed it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def open(self) -> None:
        self.sock = socket.create_connection((self.host, self.port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self) -> None:
        if self.sock:
            self.sock.close()
            self.sock = None

    def request(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.sock is None:
                self.open()
            try:
                self.sock.sendall(raw)
                return self._answer()
            except (ConnectionError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _read_more(self) -> None:
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionResetError("the server closed the connection")
        self.buffer += chunk

    def _answer(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.buffer:
            self._read_more()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        while len(rest) < length:
            self.buffer = rest
            self._read_more()
            rest = self.buffer
        body, self.buffer = rest[:length], rest[length:]
        if close:
            self.close()
        return status, body


def request_bytes(
    method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    """A prepared HTTP/1.1 request, as the TLS proxy in front of gunicorn would forward it."""
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "X-Forwarded-Proto: https",
        "Accept: application/json",
    ]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


PROBE = request_bytes("GET", "/bench/constant")


def balanced(server, count: int) -> list[Connection]:
    """`count` open connections spread evenly over the server's workers, as a load balancer in
    front spreads a gateway's. Left to the kernel, each connection goes to whichever worker
    accepts first: two land on one worker half the time, and its one interpreter then takes the
    batches in turn while the other worker idles (a fifth of the throughput, at random)."""
    share = -(-count // max(1, server.workers))
    kept: list[Connection] = []
    spare: list[Connection] = []
    held: dict[int, int] = {}
    for _ in range(50 * count):
        each = Connection(server.host, server.port)
        each.open()
        each.request(PROBE)  # answered: a worker has accepted it
        worker = server.worker_of(each.sock.getsockname()[1])
        if worker is not None and held.get(worker, 0) < share:
            held[worker] = held.get(worker, 0) + 1
            kept.append(each)
            if len(kept) == count:
                break
        else:
            spare.append(each)
    for each in spare:
        each.close()
    if len(kept) < count:
        raise RuntimeError(f"could not spread {count} connections over the workers: {held}")
    return kept


@dataclass
class Level:
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def as_dict(self) -> dict:
        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.per_second),
            "p50_ms": round(self.percentile(0.5) * 1000, 3),
            "p99_ms": round(self.percentile(0.99) * 1000, 3),
            "max_ms": round(max(self.latencies, default=0) * 1000, 3),
            "errors": self.errors,
        }


def run_level(
    host: str, port: int, raw: bytes, *, concurrency: int, requests: int, expect: int = 200
) -> Level:
    """`requests` requests of `raw` over `concurrency` connections; answers not `expect` count
    as errors (and still count as requests: the server did the work)."""
    shares = [requests // concurrency + (n < requests % concurrency) for n in range(concurrency)]
    connections = [Connection(host, port) for _ in range(concurrency)]
    for each in connections:
        each.open()
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start = threading.Barrier(concurrency + 1)
    clock = time.perf_counter

    def work(index: int) -> None:
        connection, mine = connections[index], latencies[index]
        start.wait()
        for _ in range(shares[index]):
            began = clock()
            status, _ = connection.request(raw)
            mine.append(clock() - began)
            if status != expect:
                errors[index] += 1

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = clock()
    for thread in threads:
        thread.join()
    seconds = clock() - began
    for each in connections:
        each.close()
    return Level(
        concurrency=concurrency,
        requests=requests,
        seconds=seconds,
        latencies=[value for mine in latencies for value in mine],
        errors=sum(errors),
    )


def merge(levels: list[Level]) -> Level:
    """Rounds of one level run alternately with another: one Level over all of them."""
    return Level(
        concurrency=levels[0].concurrency,
        requests=sum(level.requests for level in levels),
        seconds=sum(level.seconds for level in levels),
        latencies=[value for level in levels for value in level.latencies],
        errors=sum(level.errors for level in levels),
    )


def served_row(name: str, title: str, ours_text: str, target: str, passed: bool, **extra) -> dict:
    """A report row for a figure measured against a served app (no in-process baseline)."""
    return {
        "figure": name,
        "title": title,
        "ours": extra.pop("ours", {}),
        "ours_text": ours_text,
        "baseline": None,
        "baseline_text": extra.pop("baseline_text", "—"),
        "ratio": extra.pop("ratio", None),
        "ratio_text": extra.pop("ratio_text", None),
        "target": target,
        "passed": passed,
        **extra,
    }
