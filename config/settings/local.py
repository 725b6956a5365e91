"""`make run`: one machine, SQLite unless DATABASE_URL is set, filesystem broker unless REDIS_URL is."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

# The SQLite file, the filesystem broker's folders and the mail folder, ready before anything runs.
for folder in ("broker/queue", "broker/processed", "broker/control", "mail"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-only-not-secret-3d1f0b6c9a8e4b2f"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
