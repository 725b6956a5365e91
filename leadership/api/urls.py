"""Registers this app's viewsets on the one API router (config/api_urls.py)."""

from .views import LeadershipViewSet


def register(router) -> None:
    """Add this app's viewsets to the router."""
    router.register("leadership", LeadershipViewSet, basename="leadership")
