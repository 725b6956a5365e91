from django.apps import AppConfig


class TrafficConfig(AppConfig):
    name = "traffic"
    verbose_name = "Live traffic"

    def ready(self):
        from . import panels  # noqa: F401  (registers the one page's Live traffic panel)
