"""Latency percentiles from bounded histograms: a bucket per 10 % of latency, so a day's rollup
holds at most ~150 counts whatever the traffic, merges by adding, and answers p50/p95 to ±5 %."""

import math
from collections import Counter
from collections.abc import Iterable, Mapping

GROWTH = 1.1


def bucket(ms: int) -> str:
    """The bucket a latency falls in (JSON keys are text)."""
    return str(0 if ms < 1 else int(math.log(ms) / math.log(GROWTH)) + 1)


def bucket_value(key: str) -> int:
    """The latency a bucket stands for: its geometric middle, in milliseconds."""
    index = int(key)
    if index == 0:
        return 0
    low, high = GROWTH ** (index - 1), GROWTH**index
    return round(math.sqrt(low * high))


def merge(histograms: Iterable[Mapping[str, int]]) -> Counter:
    total: Counter = Counter()
    for histogram in histograms:
        total.update(histogram)
    return total


def percentile(histogram: Mapping[str, int], share: float) -> int | None:
    """The latency below which `share` (0–1) of the tasks fell; None without tasks."""
    count = sum(histogram.values())
    if not count:
        return None
    rank = math.ceil(share * count)
    seen = 0
    for key in sorted(histogram, key=int):
        seen += histogram[key]
        if seen >= rank:
            return bucket_value(key)
    return bucket_value(max(histogram, key=int))
