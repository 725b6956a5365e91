"""Ask Pilotdeck whether a pilot may call a model, with a short in-process cache.

Standard library only. When Pilotdeck cannot be reached (or refuses the token) the answer is the
client's `fail_open` choice: closed (False) by default; logged either way.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

logger = logging.getLogger("pilotdeck_client")


@dataclass(frozen=True)
class Status:
    pilot_id: int
    status: str
    reason: str
    may_call_model: bool
    reachable: bool = True  # False: Pilotdeck did not answer, `may_call_model` is the fail policy


class PilotdeckClient:
    """`may_call_model(pilot)` for one Pilotdeck; safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        cache_seconds: float = 1.0,
        fail_open: bool = False,
        timeout: float = 2.0,
        clock=time.monotonic,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.cache_seconds = cache_seconds
        self.fail_open = fail_open
        self.timeout = timeout
        self.clock = clock
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[float, str, Status]] = {}  # id -> (fresh until, etag, status)

    def may_call_model(self, pilot) -> bool:
        return self.status(pilot).may_call_model

    def status(self, pilot) -> Status:
        pilot_id = pilot_id_of(pilot)
        now = self.clock()
        with self._lock:
            cached = self._cache.get(pilot_id)
        if cached and cached[0] > now:
            return cached[2]
        etag = cached[1] if cached else ""
        try:
            fetched = self._fetch(pilot_id, etag)
        except _Unreachable as problem:
            answer = "open (calls allowed)" if self.fail_open else "closed (calls refused)"
            logger.warning(
                "Pilotdeck unreachable for pilot %s: %s; failing %s", pilot_id, problem, answer
            )
            return Status(pilot_id, "unknown", str(problem), self.fail_open, reachable=False)
        if fetched is None:  # 304: what we hold is still the answer
            fetched = cached[2]
            new_etag = etag
        else:
            fetched, new_etag = fetched
        with self._lock:
            self._cache[pilot_id] = (self.clock() + self.cache_seconds, new_etag, fetched)
        return fetched

    def forget(self) -> None:
        with self._lock:
            self._cache.clear()

    def _fetch(self, pilot_id: int, etag: str):
        request = urllib.request.Request(
            f"{self.base_url}/api/pilot-status/{pilot_id}",
            headers={"Authorization": f"Token {self.token}", "Accept": "application/json"},
        )
        if etag:
            request.add_header("If-None-Match", etag)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.loads(response.read())
                return _status_from(body), response.headers.get("ETag", "")
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return None
            if error.code == 404:  # no such pilot (for this token): never call a model for it
                logger.warning("Pilotdeck knows no pilot %s for this token: refusing", pilot_id)
                return Status(pilot_id, "unknown", "No such pilot.", False), ""
            raise _Unreachable(f"HTTP {error.code}") from error
        except (OSError, ValueError) as error:  # connection refused, timeout, bad JSON
            raise _Unreachable(str(error) or type(error).__name__) from error


class _Unreachable(Exception):
    pass


def _status_from(body: dict) -> Status:
    return Status(
        pilot_id=int(body["id"]),
        status=body["status"],
        reason=body.get("reason") or "",
        may_call_model=bool(body["may_call_model"]),
    )


def pilot_id_of(pilot) -> int:
    """A pilot id from an int, a numeric string or an object with `.id` / `.pk`."""
    for attribute in ("id", "pk"):
        if hasattr(pilot, attribute):
            pilot = getattr(pilot, attribute)
            break
    return int(pilot)


_default: PilotdeckClient | None = None


def default_client() -> PilotdeckClient:
    """The client from PILOTDECK_URL, PILOTDECK_TOKEN, PILOTDECK_CACHE_SECONDS, PILOTDECK_FAIL_OPEN."""
    global _default
    if _default is None:
        _default = PilotdeckClient(
            os.environ["PILOTDECK_URL"],
            os.environ["PILOTDECK_TOKEN"],
            cache_seconds=float(os.environ.get("PILOTDECK_CACHE_SECONDS", "1")),
            fail_open=os.environ.get("PILOTDECK_FAIL_OPEN", "").lower() in {"1", "true", "yes"},
        )
    return _default


def may_call_model(pilot) -> bool:
    """Whether `pilot` may call a model now, asked through the default client."""
    return default_client().may_call_model(pilot)
