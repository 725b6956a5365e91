from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "costs"

    def ready(self):
        from . import panels  # noqa: F401  (registers the one-page cost panel)
