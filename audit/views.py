"""The audit trail in the browser, for administrators: filter by pilot, person and kind."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import AuditEvent

PAGE_SIZE = 100


@login_required
@require_GET
def audit_log(request):
    if not request.user.is_superuser:
        raise PermissionDenied("Only administrators read the audit trail.")
    events = AuditEvent.objects.select_related("user").order_by("-at", "-id")
    pilot, user, kind = (
        request.GET.get("pilot", ""),
        request.GET.get("user", ""),
        request.GET.get("kind", ""),
    )
    if pilot.isdigit():
        events = events.filter(pilot_id=int(pilot))
    if user.isdigit():
        events = events.filter(user_id=int(user))
    if kind in AuditEvent.Kind.values:
        events = events.filter(kind=kind)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": AuditEvent.Kind.choices,
        "people": get_user_model().objects.order_by("username").only("id", "username"),
        "current": {"pilot": pilot, "user": user, "kind": kind},
    }
    return render(request, "audit/audit_log.html", context)
