"""Settings of the gunicorn server the bench starts: production's, with the bench's URLs.

Everything else is config/settings/production.py as deployed: DEBUG off, the security middleware,
secure cookies, HTTPS redirect (the load generator sends `X-Forwarded-Proto: https`, as the TLS
proxy in front of gunicorn does), persistent database connections, Redis as the cache when
REDIS_URL is set. bench/server.py sets the secret key, the database and the API rates (out of
reach, so a million ingested records are not answered 429; the throttle still runs)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
