"""Figure 8 (issue 12, "Scale"): task records in, over HTTP to gunicorn, next to a raw COPY.

8a, 8b — the same rows (bench/measure/task_rows.py: one generator, fresh source ids per path)
through `POST /api/tasks/bulk` and `POST /api/traffic/litellm` (as LiteLLM's generic API logger
sends StandardLoggingPayload objects), 1,000 a request over a few keep-alive connections, in
records per second, next to a `COPY … FROM STDIN` of as many rows into the partitioned table
through Django's connection (line formatting included, as a loader would do it). `COPY` runs
before 8a, between the two paths and after 8b, and each path is set against the two on either
side of it: on a shared machine `COPY` alone varied by up to two times between runs, so a
single one, minutes away from a path, could make the same ingest pass or fail.
8c — the web workers' resident memory after a warm-up (both paths, on as many connections as the
server has threads) and after both ingests: it must stay flat.
8d — the pages that read traffic, their query counts and medians before and after the ingest
added records.
The records go to live pilots that already have traffic, so no page changes what it shows.
"""

import threading
import time

import orjson
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from bench.generate import Dataset
from bench.server import served
from pilots.models import Pilot
from traffic.models import TaskDay

from .figures import browser
from .load import Connection, balanced, request_bytes, served_row
from .task_rows import Records, raw_copy
from .timing import count_queries, measure

RATE_TARGET = 25_000
COPY_SHARE_TARGET = 0.3
RSS_GROWTH_LIMIT = 1.10  # "flat": at most 10 % more after every record
WARMUP_BATCHES = 20
ACTIVE = (Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED)
MIB = 1024 * 1024


def ingest(
    server, token: str, path: str, bodies, *, batches: int, concurrency: int, on_batch=None
) -> dict:
    """Post `batches` bodies (`bodies(batch)` makes one) over `concurrency` connections spread
    evenly over the workers; `on_batch(done)` is called after each answer."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    created, errors, latencies = [0], [], []
    lock = threading.Lock()
    next_batch = iter(range(batches))
    connections = balanced(server, concurrency)

    def work(connection_: Connection) -> None:
        while True:
            with lock:
                batch = next(next_batch, None)
            if batch is None:
                break
            raw = request_bytes("POST", path, headers=headers, body=bodies(batch))
            began = time.perf_counter()
            status, body = connection_.request(raw)
            spent = time.perf_counter() - began
            with lock:
                latencies.append(spent)
                if status in (200, 201):
                    created[0] += orjson.loads(body)["created"]
                else:
                    errors.append((status, body[:300]))
                if on_batch:
                    on_batch(len(latencies))
        connection_.close()

    threads = [threading.Thread(target=work, args=(each,), daemon=True) for each in connections]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "batches": batches,
        "created": created[0],
        "seconds": round(seconds, 2),
        "records_per_second": round(created[0] / seconds) if seconds else 0,
        "median_request_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "errors": len(errors),
        "first_errors": [f"{status} {body!r}" for status, body in errors[:3]],
    }


def _pages(ds: Dataset, busy: int) -> dict[str, tuple]:
    owner, finance = browser(ds.owner), browser(ds.finance)
    quiet_owner = browser(ds.small_owner)
    return {
        "one page (busiest traffic)": (owner, reverse("pilots:detail", args=[busy])),
        "one page (quiet pilot)": (quiet_owner, reverse("pilots:detail", args=[ds.small_pilot])),
        "connections (busiest traffic)": (owner, reverse("traffic:connections", args=[busy])),
        "finance dashboard": (finance, reverse("costs:dashboard")),
    }


def _page_queries(pages: dict) -> dict[str, int]:
    answer = {}
    for name, (client, url) in pages.items():
        queries, response = count_queries(lambda client=client, url=url: client.get(url))
        if response.status_code != 200:
            raise AssertionError(f"{response.status_code} from {url}")
        answer[name] = queries
    return answer


def _page_timings(pages: dict, repeat: int) -> dict:
    return {
        name: measure(lambda client=client, url=url: client.get(url), repeat=repeat)
        for name, (client, url) in pages.items()
    }


def _copy_rate(count: int, seconds: tuple[float, float]) -> float:
    """The COPY rate around a path: its rows over the mean of the COPYs before and after it."""
    return count / (sum(seconds) / len(seconds))


def _ingest_row(name: str, title: str, result: dict, copy_rate: float) -> dict:
    share = result["records_per_second"] / copy_rate if copy_rate else 0
    return served_row(
        name,
        title,
        f"{result['records_per_second']:,} records/s ({result['created']:,} in "
        f"{result['seconds']} s; {result['median_request_ms']} ms a request)",
        f"≥ {RATE_TARGET:,}/s and ≥ {COPY_SHARE_TARGET}× COPY",
        result["records_per_second"] >= RATE_TARGET
        and share >= COPY_SHARE_TARGET
        and not result["errors"],
        ours=result,
        baseline_text=f"COPY {copy_rate:,.0f} records/s (before and after)",
        ratio=round(share, 2),
        copy_records_per_second=round(copy_rate),
    )


def _bodies(records: Records, make, prefix: str, batches: int):
    """Request body number `batch` of `batches`: 1,000 records made by `make`, ids under `prefix`.

    Every body is encoded before the clock starts (a second or two per 100,000 records, and
    up to a gigabyte for a million LiteLLM payloads, freed after its path). A gateway encodes its
    requests on its own machines; encoding them here, while the server is timed, took 6–10 ms of
    the two cores per batch from the server being measured."""
    encoded = [
        orjson.dumps([make(n, prefix) for n in range(first, first + 1000)])
        for first in range(0, batches * 1000, 1000)
    ]
    return encoded.__getitem__


def _memory_row(
    before: list[int], middle: list[int], end: list[int], records: int, samples: list
) -> dict:
    growth = sum(end) / sum(before) if before and sum(before) else None
    workers = " + ".join(
        f"{b / MIB:.0f} → {m / MIB:.0f} → {e / MIB:.0f} MB"
        for b, m, e in zip(before, middle, end, strict=False)
    )
    return served_row(
        "8c",
        f"Web workers' memory (RSS) after warm-up → native → LiteLLM, {records:,} records",
        workers,
        f"flat: ≤ ×{RSS_GROWTH_LIMIT:.2f}",
        growth is not None and growth <= RSS_GROWTH_LIMIT,
        ours={"before_bytes": before, "after_native_bytes": middle, "after_bytes": end},
        # (records sent so far, the workers' summed RSS) every tenth of each path's batches
        samples=samples,
        ratio=round(growth, 3) if growth else None,
        ratio_text=f"×{growth:.3f}" if growth else None,
    )


def traffic_ingest(ds: Dataset, options) -> list[dict]:
    connected = TaskDay.objects.filter(pilot__status__in=ACTIVE).values_list("pilot_id")
    live = sorted(set(connected.distinct()[:50].values_list("pilot_id", flat=True)))
    records = Records(live or [ds.big_pilot], timezone.now())
    batches = max(1, options.ingest_records // 1000)
    count = batches * 1000
    busy = (
        connection.cursor().execute(
            "SELECT pilot_id FROM traffic_taskday GROUP BY 1 ORDER BY sum(tasks) DESC LIMIT 1"
        )
    ).fetchone()[0]
    pages = _pages(ds, busy)
    before_queries = _page_queries(pages)
    before_timings = _page_timings(pages, options.repeat)
    copies = [raw_copy(records, count, "copy-1")]  # and one after each path
    _, token = AuthToken.objects.create(get_user_model().objects.get(pk=ds.gateway))
    concurrency = options.ingest_concurrency

    samples: list[tuple[int, int]] = []

    def send(server, path: str, body, n: int, sent_before: int = 0, spread: int = 0) -> dict:
        every = max(1, n // 10)

        def sample(done: int) -> None:
            if done % every == 0:
                samples.append((sent_before + done * 1000, sum(server.worker_rss())))

        return ingest(
            server, token, path, body, batches=n, concurrency=spread or concurrency, on_batch=sample
        )

    with served(workers=options.workers, threads=options.threads, log=options.server_log) as server:
        # Warm-up: every worker has imported, connected, and parsed a request of each shape (the
        # LiteLLM bodies are three times the native ones) before memory is read; as many
        # connections as the server has threads, so that each worker gets its share.
        spread = options.workers * options.threads
        warm = send(
            server,
            "/api/tasks/bulk",
            _bodies(records, records.native, "warm", WARMUP_BATCHES),
            WARMUP_BATCHES,
            spread=spread,
        )
        send(
            server,
            "/api/traffic/litellm",
            _bodies(records, records.litellm, "warm-l", WARMUP_BATCHES),
            WARMUP_BATCHES,
            spread=spread,
        )
        rss_before = server.worker_rss()
        samples.clear()
        native = send(
            server, "/api/tasks/bulk", _bodies(records, records.native, "n", batches), batches
        )
        rss_middle = server.worker_rss()
        copies.append(raw_copy(records, count, "copy-2"))
        litellm = send(
            server,
            "/api/traffic/litellm",
            _bodies(records, records.litellm, "l", batches),
            batches,
            count,
        )
        rss_end = server.worker_rss()
    copies.append(raw_copy(records, count, "copy-3"))
    after_queries = _page_queries(pages)
    timings = _page_timings(pages, options.repeat)
    path = f"1,000 a request, {concurrency} connection" + ("s" if concurrency > 1 else "")
    rows = [
        _ingest_row(
            "8a",
            f"Task ingest, native POST /api/tasks/bulk, {path}",
            native,
            _copy_rate(count, copies[0:2]),
        ),
        _ingest_row(
            "8b",
            f"Task ingest, LiteLLM receiver POST /api/traffic/litellm, {path}",
            litellm,
            _copy_rate(count, copies[1:3]),
        ),
        _memory_row(
            rss_before, rss_middle, rss_end, native["created"] + litellm["created"], samples
        ),
    ]
    rows.append(
        served_row(
            "8d",
            "Pages reading traffic: queries and median before → after the ingest",
            "; ".join(
                f"{name} {before_queries[name]} → {after_queries[name]} q, "
                f"median {before_timings[name].median * 1000:.0f} → "
                f"{timings[name].median * 1000:.0f} ms"
                for name in pages
            ),
            "query counts unchanged by records",
            before_queries == after_queries,
            ours={name: timing.as_dict() for name, timing in timings.items()},
            before={name: timing.as_dict() for name, timing in before_timings.items()},
            queries_before=before_queries,
            queries_after=after_queries,
        )
    )
    for row in rows:
        row["copy_seconds"] = [round(seconds, 3) for seconds in copies]
        row["warmup"] = warm
    return rows
