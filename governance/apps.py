from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self):
        # Register the one-page panels, the event hook, the guided flow's rights and portfolio health.
        from . import ownership_step, panels, portfolio, tasks  # noqa: F401
        from .services import evaluation  # noqa: F401  (registers the readiness guard on transitions)
