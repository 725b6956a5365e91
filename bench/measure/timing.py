"""Timing and query counting: medians (and p95) of repeated runs after a warm-up.

Ours and the baseline run interleaved — ours, baseline, ours, baseline … — so a noisy neighbour
on the machine slows both alike and their ratio, taken in the same run, stays meaningful.
"""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    seconds: list[float]
    queries: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        """The 95th percentile (nearest rank): the slowest run in twenty."""
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def as_dict(self) -> dict:
        return {
            "median_ms": round(self.median * 1000, 3),
            "p95_ms": round(self.p95 * 1000, 3),
            "runs": len(self.seconds),
            "queries": self.queries,
        }


def count_queries(fn: Callable[[], object]) -> tuple[int, object]:
    """How many SQL statements `fn` runs (not timed: capturing slows every query down)."""
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return len(captured.captured_queries), result


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        fn()
    queries, _ = count_queries(fn)
    return Timing(seconds=[timed(fn)[0] for _ in range(repeat)], queries=queries)


def measure_pair(
    ours: Callable[[], object], baseline: Callable[[], object], *, repeat: int, warmup: int = 1
) -> tuple[Timing, Timing]:
    """Both, interleaved, after `warmup` runs of each; query counts taken outside the timing."""
    for _ in range(warmup):
        ours()
        baseline()
    ours_queries, _ = count_queries(ours)
    baseline_queries, _ = count_queries(baseline)
    ours_times, baseline_times = [], []
    for _ in range(repeat):
        ours_times.append(timed(ours)[0])
        baseline_times.append(timed(baseline)[0])
    return (
        Timing(seconds=ours_times, queries=ours_queries),
        Timing(seconds=baseline_times, queries=baseline_queries),
    )
