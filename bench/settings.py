"""Settings for `make bench`: the test settings, pointed at the bench database (DATABASE_URL).

Differences from the test settings, each so that the benchmark measures what production does:
Celery tasks are queued (to an in-process memory broker), never run inline inside the request that
queues them, as a worker would run them elsewhere; throttle rates are out of reach, so hundreds of
timed calls are not answered 429 (the throttle still runs and is still timed); logging is quiet.
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import REST_FRAMEWORK

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "1000000/hour"
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# One connection for the whole run: a reconnect in the middle of a timed request is noise.
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
# PostgreSQL's JIT off, as OLTP deployments run it: the hand-written one-statement baselines have
# join estimates far off, and with JIT on PostgreSQL 15 spends seconds compiling them (the sweep's
# baseline: 1.1 s without, 3.1 s with). The app's own queries run the same either way.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"  # noqa: F405
