"""Helpers for code that reads thousands of rows into Python at once (the rule sweep, dashboards)."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause CPython's cyclic garbage collector for the block, then let it resume.

    Reading ten thousand pilots' facts creates a few hundred thousand small objects (rows, dicts,
    dataclasses) that all stay alive until the block ends. Every so many allocations the collector
    walks the objects alive, so it walks these again and again while finding nothing to free: on
    the benchmark's sweep that was 0.5 s of 1.3 s of CPU. Reference counting still frees
    everything as usual; cycles made inside the block are collected once it resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
