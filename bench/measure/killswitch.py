"""Figure 7 (issue 14): the kill switch at gateway speed, over HTTP to gunicorn.

7·c1, 7·c8, 7·c32 — `GET /api/pilot-status/{id}` with a kill-switch token against the floor (a
constant JSON answer from a plain Django view on the same server), at 1, 8 and 32 keep-alive
connections, a fixed number of requests per level, run in alternating rounds (floor, status,
floor, status …) so a noisy neighbour slows both alike.
7b — a pause, made as a person makes it (the status form on the one page, POSTed with a signed-in
session and its CSRF token), until a client polling the status answer first reads `paused`.
7c — the bulk form for 1,000 pilots in one request (`GET /api/pilot-status?ids=…`).
"""

import os
import secrets
import threading
import time
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken

from bench.generate import Dataset
from bench.server import served
from killswitch.services import status_token_create
from pilots.models import Pilot

from .load import Connection, Level, merge, request_bytes, run_level, served_row

User = get_user_model()
LEVELS = (1, 8, 32)
ROUNDS = 4
THROUGHPUT_TARGET = 0.7
P99_TARGET = 2.0
PAUSE_TARGET_SECONDS = 1.0
BULK_PILOTS = 1000
LIVE = (Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED)


def _level_text(level: Level) -> str:
    data = level.as_dict()
    return (
        f"{data['requests_per_second']:,} req/s, p50 {data['p50_ms']} ms, p99 {data['p99_ms']} ms"
    )


def status_levels(
    server, token: str, person_token: str, pilot_id: int, requests: int
) -> list[dict]:
    status = request_bytes(
        "GET", f"/api/pilot-status/{pilot_id}", headers={"Authorization": f"Token {token}"}
    )
    floor = request_bytes("GET", "/bench/constant")
    # A person's token is checked in the database on every request: it opens every thread's
    # connection, as a server that has run a while has them (a kill-switch token is checked once
    # every PILOTDECK_STATUS_TOKEN_SECONDS, on whichever thread asks).
    connect = request_bytes(
        "GET", f"/api/pilot-status/{pilot_id}", headers={"Authorization": f"Token {person_token}"}
    )
    host, port = server.host, server.port
    for raw in (
        floor,
        connect,
        status,
    ):  # warm every worker and thread: imports, connections, caches
        run_level(host, port, raw, concurrency=2 * server.workers * server.threads, requests=800)
    rows = []
    per_round = max(1, requests // ROUNDS)
    for concurrency in LEVELS:
        floors, ours = [], []
        for _ in range(ROUNDS):
            floors.append(run_level(host, port, floor, concurrency=concurrency, requests=per_round))
            ours.append(run_level(host, port, status, concurrency=concurrency, requests=per_round))
        floor_level, our_level = merge(floors), merge(ours)
        throughput = our_level.per_second / floor_level.per_second
        p99 = our_level.percentile(0.99) / floor_level.percentile(0.99)
        errors = floor_level.errors + our_level.errors
        rows.append(
            served_row(
                f"7·c{concurrency}",
                f"Kill switch: status by kill-switch token, {concurrency} connection"
                + ("s" if concurrency > 1 else ""),
                _level_text(our_level),
                f"≥ {THROUGHPUT_TARGET}× req/s, p99 ≤ {P99_TARGET:g}× floor",
                throughput >= THROUGHPUT_TARGET and p99 <= P99_TARGET and not errors,
                ours=our_level.as_dict(),
                floor=floor_level.as_dict(),
                baseline_text="floor " + _level_text(floor_level),
                ratio=round(throughput, 2),
                ratio_text=f"{throughput:.2f}× req/s, {p99:.2f}× p99",
                p99_ratio=round(p99, 2),
                errors=errors,
            )
        )
    return rows


def _session_cookie(user_id: int) -> str:
    """A signed-in session of the person who pauses, made as the login form would make it."""
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client.cookies["sessionid"].value


def _pause_request(pilot_id: int, session: str) -> bytes:
    csrf = secrets.token_hex(16)  # a 32-character secret, sent as cookie and as form field
    body = urlencode(
        {"csrfmiddlewaretoken": csrf, "status": "paused", "reason": "Bench: stop this pilot."}
    ).encode()
    return request_bytes(
        "POST",
        f"/pilots/{pilot_id}/status/",
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "Origin": "https://127.0.0.1",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=body,
    )


def pause_once(server, token: str, pilot_id: int, session: str) -> dict:
    """Seconds from sending the pause to the first `paused` a polling client reads."""
    poll = request_bytes(
        "GET", f"/api/pilot-status/{pilot_id}", headers={"Authorization": f"Token {token}"}
    )
    watcher = Connection(server.host, server.port)
    watcher.open()
    status, body = watcher.request(poll)
    if status != 200 or b'"paused": false' not in body:
        raise AssertionError(f"pilot {pilot_id} is not live before the pause: {status} {body!r}")
    sent = threading.Event()
    seen: dict[str, float] = {}
    polls = [0]

    def watch() -> None:
        sent.wait()
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            _, answer = watcher.request(poll)
            polls[0] += 1
            if b'"paused": true' in answer:
                seen["at"] = time.perf_counter()
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    person = Connection(server.host, server.port)
    person.open()
    raw = _pause_request(pilot_id, session)
    began = time.perf_counter()
    sent.set()
    code, _ = person.request(raw)
    answered = time.perf_counter()
    thread.join()
    person.close()
    watcher.close()
    if code != 302:
        raise AssertionError(f"the pause form answered {code}, not a redirect")
    if Pilot.objects.get(pk=pilot_id).status != Pilot.Status.PAUSED:
        raise AssertionError(f"pilot {pilot_id} was not paused")
    return {
        "pilot": pilot_id,
        "pause_request_ms": round((answered - began) * 1000, 1),
        "first_paused_ms": round((seen["at"] - began) * 1000, 1) if "at" in seen else None,
        "polls": polls[0],
    }


def pause_figure(server, ds: Dataset, token: str, trials: int, redis: bool) -> dict:
    # Live now: the sweep (figure 4) has paused some of the generated active pilots.
    live = Pilot.objects.filter(pk__in=ds.active_pilots, status__in=LIVE).exclude(pk=ds.big_pilot)
    candidates = list(live.order_by("pk").values_list("pk", flat=True)[:trials])
    session = _session_cookie(ds.admin)
    runs = [pause_once(server, token, pk, session) for pk in candidates]
    seen = [run["first_paused_ms"] for run in runs]
    worst = None if None in seen else max(seen)
    median = sorted(value for value in seen if value is not None)[len(seen) // 2] if seen else None
    cache = "Redis" if redis else "in-process cache (1 s)"
    return served_row(
        "7b",
        f"Kill switch: pause (the one page's form) → first `paused` read, {cache}",
        f"median {median} ms, worst {worst} ms over {len(runs)} pauses",
        f"≤ {PAUSE_TARGET_SECONDS:g} s",
        worst is not None and worst <= PAUSE_TARGET_SECONDS * 1000,
        ours={"median_ms": median, "worst_ms": worst},
        runs=runs,
        cache=cache,
    )


def bulk_figure(server, ds: Dataset, token: str, repeat: int) -> dict:
    ids = list(Pilot.objects.order_by("pk").values_list("pk", flat=True)[:BULK_PILOTS])
    raw = request_bytes(
        "GET",
        "/api/pilot-status?ids=" + ",".join(str(pk) for pk in ids),
        headers={"Authorization": f"Token {token}"},
    )
    connection = Connection(server.host, server.port)
    connection.open()
    began = time.perf_counter()
    status, body = connection.request(raw)
    first = time.perf_counter() - began
    connection.close()
    if status != 200 or body.count(b'"id":') != len(ids):
        raise AssertionError(f"the bulk form answered {status} without every pilot")
    level = run_level(server.host, server.port, raw, concurrency=1, requests=repeat)
    data = level.as_dict()
    return served_row(
        "7c",
        f"Kill switch: bulk form, {len(ids):,} pilots in one request",
        f"median {data['p50_ms']} ms, p99 {data['p99_ms']} ms (first {first * 1000:.0f} ms), "
        f"{len(body) / 1024:.0f} KB",
        "one request; time reported",
        not level.errors,
        ours=data,
        pilots=len(ids),
        first_ms=round(first * 1000, 1),
        body_bytes=len(body),
    )


def kill_switch(ds: Dataset, options) -> list[dict]:
    redis = bool(os.environ.get("REDIS_URL"))
    admin = User.objects.get(pk=ds.admin)
    token = status_token_create(user=admin, name="bench gateway")[1]
    person_token = AuthToken.objects.create(admin)[1]
    with served(workers=options.workers, threads=options.threads, log=options.server_log) as server:
        rows = status_levels(server, token, person_token, ds.big_pilot, options.status_requests)
        rows.append(bulk_figure(server, ds, token, options.repeat))
        rows.append(pause_figure(server, ds, token, options.pause_trials, redis))
    for row in rows:
        row["server"] = {"workers": options.workers, "threads": options.threads, "redis": redis}
    return rows
