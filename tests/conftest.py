"""Test infrastructure only: external services (Redis, Chromium) and the strict-mode rules.

Role and data fixtures live in tests/fixtures.py.

A test that needs a service that is not there *skips* on a developer machine, but *fails* when
PILOTDECK_REQUIRE_SERVICES=1 (set by `scripts/test --strict`, i.e. `make test STRICT=1` in CI).
In that mode every skip of any kind is also turned into a failure, so CI can never go green by
skipping.

Markers: `redis` and `browser` tests get the service check automatically, and tests that use
`redis_url` or a Playwright fixture get the marker automatically, so `-m "not browser"` works.
"""

import os
import urllib.parse
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; without this, every ORM call made
# by a browser test (set-up data, assertions) raises SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytest_plugins = ["tests.fixtures"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
    "--disable-background-networking",  # no network besides the live server
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_FIXTURES = {"page", "context", "browser", "new_context", "browser_base_url"}


def services_required() -> bool:
    return os.environ.get("PILOTDECK_REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip the current test, or fail it when services are required (CI)."""
    if services_required():
        pytest.fail(f"{reason} [PILOTDECK_REQUIRE_SERVICES=1: this is a failure]", pytrace=False)
    pytest.skip(reason)


# --- Redis ----------------------------------------------------------------------------------------

_redis_problem: list[str | None] = []  # memo: checked once per session


def _redis_unavailable() -> str | None:
    """Why Redis cannot be used (None if it can): REDIS_URL unset, or nothing answering on it."""
    if not _redis_problem:
        url = os.environ.get("REDIS_URL", "")
        problem = None
        if not url:
            problem = "REDIS_URL is not set (no redis-server): this test needs Redis"
        else:
            import redis

            try:
                redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
            except redis.RedisError as exc:
                problem = f"Redis at {url} does not answer: {exc}"
        _redis_problem.append(problem)
    return _redis_problem[0]


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of a live Redis (scripts/test starts a throwaway one); skip/fail if there is none."""
    problem = _redis_unavailable()
    if problem:
        missing_service(problem)
    return os.environ["REDIS_URL"]


# --- Chromium through pytest-playwright -----------------------------------------------------------


def _chromium_unavailable() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"{CHROMIUM} is not installed (apt-get install chromium fonts-liberation): "
            "this test drives a real browser"
        )
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use the distribution's Chromium (never `playwright install`: no network for that)."""
    problem = _chromium_unavailable()
    if problem:
        missing_service(problem)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture
def browser_base_url(live_server) -> str:
    """Root URL of pytest-django's live server. Since django.contrib.staticfiles is installed, it
    serves /static/ through the staticfiles finders (app static dirs and STATICFILES_DIRS), so no
    collectstatic is needed (see tests/test_deployment_files.py)."""
    return live_server.url


# --- Hooks ----------------------------------------------------------------------------------------


def pytest_configure(config) -> None:
    # Known, harmless noise: whitenoise warns that STATIC_ROOT does not exist (tests never run
    # collectstatic; the live server serves from the finders), and pytest-base-url (a
    # pytest-playwright dependency) defines a deprecated session fixture.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


def pytest_report_header(config) -> list[str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    redis_url = os.environ.get("REDIS_URL") or "unset"
    if redis_url != "unset":
        parts = urllib.parse.urlsplit(redis_url)
        redis_url = f"{parts.hostname}:{parts.port}"
    return [
        f"pilotdeck: strict={'yes' if services_required() else 'no'}, "
        f"database={engine} {db.get('HOST') or ''}:{db.get('PORT') or ''}, "
        f"redis={redis_url}, chromium={'yes' if _chromium_unavailable() is None else 'MISSING'}"
    ]


def pytest_sessionstart(session) -> None:
    # The suite is written for PostgreSQL; in CI, running it on anything else is an error.
    if services_required():
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            pytest.exit(
                f"PILOTDECK_REQUIRE_SERVICES=1 but the database is {engine}: set DATABASE_URL to "
                "a PostgreSQL database (scripts/test does)",
                returncode=1,
            )


def pytest_collection_modifyitems(config, items) -> None:
    # Fixture use implies the marker, so `-m "not browser"` / `-m "not redis"` select correctly.
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if "redis_url" in names and not item.get_closest_marker("redis"):
            item.add_marker(pytest.mark.redis)


def pytest_runtest_setup(item) -> None:
    # The marker implies the check, even for a test that reads REDIS_URL some other way.
    if item.get_closest_marker("redis"):
        problem = _redis_unavailable()
        if problem:
            missing_service(problem)
    if item.get_closest_marker("browser"):
        problem = _chromium_unavailable()
        if problem:
            missing_service(problem)


def _skip_reason(report) -> str:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2])
    return str(report.longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Belt and braces: under strict mode no skip passes, whatever caused it (marker, skipif,
    # pytest.skip, importorskip, a fixture). Expected failures (xfail) are not skips.
    if services_required() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"Skipped under PILOTDECK_REQUIRE_SERVICES=1, which makes every skip a failure "
            f"(CI must not pass by skipping). Skip reason: {_skip_reason(report)}"
        )
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    # Same for a whole module skipped at import (pytest.skip(allow_module_level=True),
    # pytest.importorskip), which never reaches pytest_runtest_makereport.
    if services_required() and report.skipped:
        report.outcome = "failed"
        report.longrepr = (
            f"Module skipped under PILOTDECK_REQUIRE_SERVICES=1, which makes every skip a failure. "
            f"Skip reason: {_skip_reason(report)}"
        )
    return report
