from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self):
        from . import panels, tasks  # noqa: F401  (register the one-page panels and the event hook)
        from .services import evaluation  # noqa: F401  (registers the readiness guard on transitions)
