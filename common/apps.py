from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        from . import sessions  # noqa: F401  (stamps a fresh session at sign-in)
