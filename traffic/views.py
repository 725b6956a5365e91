"""The pilot's Connections page: where its traffic comes from, when it last arrived, what was
refused, and the configuration to paste into LiteLLM and an OpenTelemetry exporter."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pilots.selectors import pilot_get

from .models import Connection, SourceLink


@login_required
@require_GET
def connections(request, pk: int):
    pilot = pilot_get(user=request.user, pk=pk)
    context = {
        "pilot": pilot,
        "connections": Connection.objects.filter(pilot=pilot).order_by("origin"),
        "links": SourceLink.objects.filter(pilot=pilot).order_by("kind", "value"),
        "litellm_endpoint": request.build_absolute_uri(reverse("traffic-litellm")),
        "otlp_endpoint": request.build_absolute_uri("/otlp"),
        "tasks_endpoint": request.build_absolute_uri(reverse("task-bulk")),
    }
    return render(request, "traffic/connections.html", context)
