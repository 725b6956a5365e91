"""`make test`: PostgreSQL from DATABASE_URL (the throwaway cluster), fast hashing, local mail."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-6b0e2c1d7f9a4e3b"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests: serve from the finders
# Tasks run inline in tests, so after-commit dispatch is observable; the Redis test runs a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
PILOTDECK_WEBHOOK_URL = ""
PILOTDECK_WEBHOOK_SECRET = "test-webhook-secret"
# Throttle counters per test process, not in the shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No per-process memory of status records across tests (tests/killswitch turns it on to test it).
PILOTDECK_STATUS_LOCAL_SECONDS = 0
