"""Registers this app's viewsets on the one API router (config/api_urls.py)."""

from .rates import HourlyRateViewSet
from .views import CostEntryViewSet, CostSummaryViewSet, TaskVolumeViewSet


def register(router) -> None:
    """Add this app's viewsets to the router."""
    router.register("cost-entries", CostEntryViewSet, basename="cost-entry")
    router.register("task-volumes", TaskVolumeViewSet, basename="task-volume")
    router.register("cost-summaries", CostSummaryViewSet, basename="cost-summary")
    router.register("hourly-rates", HourlyRateViewSet, basename="hourly-rate")
