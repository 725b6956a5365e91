"""Post each model call's record to Pilotdeck's LiteLLM receiver, in batches, in the background.

    recorder = TrafficRecorder("https://pilotdeck.example.com", writing_token)
    recorder.add(standard_logging_payload)      # returns at once; never raises
    recorder.flush()                            # at shutdown (also run at exit)

Standard library only. `add` only puts the record on a bounded queue; a daemon thread posts up to
`batch_size` records at a time to `/api/traffic/litellm` every `flush_seconds` (or sooner when a
batch is full), so the model call never waits for Pilotdeck. The token must be one that may write
task records (a person's or a service account's API token) — not the kill-switch token, which only
reads status. When Pilotdeck cannot be reached the batch is kept and tried again (`retries` times),
then dropped and logged; when the queue is full the oldest record is dropped and logged. A record
sent twice is stored once (Pilotdeck keys it by the call's id).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections import deque

logger = logging.getLogger("pilotdeck_client")

RECEIVER_PATH = "/api/traffic/litellm"


class TrafficRecorder:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        batch_size: int = 200,
        flush_seconds: float = 1.0,
        max_queue: int = 10_000,
        timeout: float = 5.0,
        retries: int = 3,
    ):
        self.url = base_url.rstrip("/") + RECEIVER_PATH
        self.token = token
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.timeout = timeout
        self.retries = retries
        self._queue: deque[dict] = deque(maxlen=max_queue)
        self._seen: deque[str] = deque(maxlen=max_queue)  # ids recently queued: each call once
        self._lock = threading.Condition()
        self._sending = 0  # records taken off the queue and not yet answered
        self._closed = False
        self.accepted = 0  # records queued since the start
        self.sent = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="pilotdeck-recorder", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def add(self, record: dict) -> None:
        """Queue one record (a StandardLoggingPayload, or a native task row)."""
        key = str(record.get("id") or record.get("source_id") or "")
        with self._lock:
            if key and key in self._seen:
                return
            if key:
                self._seen.append(key)
            if len(self._queue) == self._queue.maxlen:
                self.dropped += 1
                logger.warning("Pilotdeck recorder queue full: the oldest record is dropped")
            self._queue.append(record)
            self.accepted += 1
            if len(self._queue) >= self.batch_size:
                self._lock.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued record was posted (or given up on); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._lock.notify_all()
            while self._queue or self._sending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
                self._lock.notify_all()
        return True

    def close(self, timeout: float = 5.0) -> None:
        if self._closed:
            return
        self.flush(timeout)
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue and not self._closed:
                    self._lock.wait(self.flush_seconds)
                elif len(self._queue) < self.batch_size and not self._closed:
                    self._lock.wait(self.flush_seconds)  # let a batch fill, then send
                if self._closed and not self._queue:
                    return
                batch = [
                    self._queue.popleft() for _ in range(min(self.batch_size, len(self._queue)))
                ]
                self._sending = len(batch)
            if batch:
                self._send(batch)
            with self._lock:
                self._sending = 0
                self._lock.notify_all()

    def _send(self, batch: list[dict]) -> None:
        body = json.dumps(batch, default=str).encode()
        for attempt in range(1, self.retries + 1):
            request = urllib.request.Request(
                self.url,
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Token {self.token}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    answer = json.loads(response.read() or b"{}")
                self.sent += len(batch)
                if answer.get("refused"):
                    logger.warning(
                        "Pilotdeck refused %s of %s records: %s",
                        answer["refused"],
                        len(batch),
                        answer.get("errors", [])[:3],
                    )
                return
            except urllib.error.HTTPError as error:
                if error.code in (400, 401, 403, 413):  # sending it again will not help
                    logger.warning(
                        "Pilotdeck refused a batch of %s: HTTP %s", len(batch), error.code
                    )
                    break
                problem = f"HTTP {error.code}"
            except (OSError, ValueError) as error:
                problem = str(error) or type(error).__name__
            if attempt < self.retries:
                time.sleep(min(2.0, 0.2 * 2**attempt))
        else:
            logger.warning("Pilotdeck unreachable (%s): %s records dropped", problem, len(batch))
        self.dropped += len(batch)


_default: TrafficRecorder | None = None


def default_recorder() -> TrafficRecorder | None:
    """The recorder from PILOTDECK_URL and PILOTDECK_TRAFFIC_TOKEN (None without that token)."""
    global _default
    if _default is None and os.environ.get("PILOTDECK_TRAFFIC_TOKEN"):
        _default = TrafficRecorder(
            os.environ["PILOTDECK_URL"], os.environ["PILOTDECK_TRAFFIC_TOKEN"]
        )
    return _default
