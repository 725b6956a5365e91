"""Registers this app's viewsets on the one API router (config/api_urls.py)."""

from .views import (
    ErrorEntryViewSet,
    ErrorReportViewSet,
    FailureModeViewSet,
    ReviewWeekViewSet,
    SampleViewSet,
)


def register(router) -> None:
    """Add this app's viewsets to the router."""
    router.register("review-weeks", ReviewWeekViewSet, basename="review-week")
    router.register("samples", SampleViewSet, basename="sample")
    router.register("errors", ErrorEntryViewSet, basename="error-entry")
    router.register("error-reports", ErrorReportViewSet, basename="error-report")
    router.register("failure-modes", FailureModeViewSet, basename="failure-mode")
