"""Run a gateway's coroutine as the gateway would: on its own event loop, in its own thread.

The browser tests' Playwright leaves an event loop running in the test thread, where
`asyncio.run` refuses to start another; a thread of its own has none."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_async(coroutine):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
