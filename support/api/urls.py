"""Registers this app's viewsets on the one API router (config/api_urls.py)."""

from .views import (
    ApprovedToolViewSet,
    CanIUseViewSet,
    CompanyLaneViewSet,
    DataClassViewSet,
    DataSourceClassViewSet,
    EscalationPathViewSet,
    ReviewRequirementViewSet,
    UseCaseRequestViewSet,
)


def register(router) -> None:
    """Add this app's viewsets to the router."""
    router.register("data-classes", DataClassViewSet, basename="data-class")
    router.register("approved-tools", ApprovedToolViewSet, basename="approved-tool")
    router.register("review-requirements", ReviewRequirementViewSet, basename="review-requirement")
    router.register("company-lanes", CompanyLaneViewSet, basename="company-lane")
    router.register("escalation-paths", EscalationPathViewSet, basename="escalation-path")
    router.register("data-source-classes", DataSourceClassViewSet, basename="data-source-class")
    router.register("use-case-requests", UseCaseRequestViewSet, basename="use-case-request")
    router.register("can-i-use", CanIUseViewSet, basename="can-i-use")
