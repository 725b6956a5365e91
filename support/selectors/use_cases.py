"""New use-case requests: who sees which, and the company-wide counts."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from pilots import access

from ..models import DataClass, UseCaseApproval, UseCaseRequest
from .routing import lane_contact_kinds


def may_see_all_requests(user) -> bool:
    """Administrators and company lane contacts (the people who approve) see every request."""
    return access.is_admin(user) or bool(lane_contact_kinds(user))


def use_case_list(*, user, status: str = "") -> QuerySet[UseCaseRequest]:
    """The requests `user` may see: their own, or every one for approvers and administrators."""
    queryset = UseCaseRequest.objects.select_related("requested_by", "pilot").prefetch_related(
        Prefetch("data_classes", queryset=DataClass.objects.order_by("level", "name")),
        Prefetch(
            "approvals",
            queryset=UseCaseApproval.objects.select_related("decided_by").order_by("id"),
        ),
    )
    if not user.is_authenticated:
        return queryset.none()
    if not may_see_all_requests(user):
        queryset = queryset.filter(requested_by=user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def use_case_get(*, user, pk: int) -> UseCaseRequest:
    return get_object_or_404(use_case_list(user=user), pk=pk)


def use_case_counts() -> dict[str, int]:
    """Requests by status, company-wide (the leadership view): one query."""
    row = UseCaseRequest.objects.aggregate(
        pending=Count("id", filter=Q(status=UseCaseRequest.Status.PENDING)),
        approved=Count("id", filter=Q(status=UseCaseRequest.Status.APPROVED)),
        rejected=Count("id", filter=Q(status=UseCaseRequest.Status.REJECTED)),
    )
    return {key: value or 0 for key, value in row.items()}


def approved_use_cases(*, pilot_ids) -> list[UseCaseRequest]:
    """Approved requests whose pilot is among `pilot_ids` (the caller's visible pilots): one query."""
    return list(
        UseCaseRequest.objects.filter(
            status=UseCaseRequest.Status.APPROVED, pilot_id__in=list(pilot_ids)
        )
        .select_related("pilot", "requested_by")
        .order_by("-decided_at", "-id")
    )
