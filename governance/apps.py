from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self):
        from . import panels  # noqa: F401  (registers the one-page panels)
