"""Hourly rates over REST (`/api/hourly-rates`): set a kind of time's rate once, per pilot or as
the company default, so a tool can push hours alone. Writes call costs.services.rates.

Who may set a rate is checked before the payload is validated, as everywhere in the ledger API:
a company default needs finance or an administrator; a pilot's rate whoever records its costs.
"""

from collections.abc import Mapping

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import ERRORS
from common.errors import PermissionDenied
from common.filters import StaticFormFilterSet
from common.schema import DocumentedAutoSchema
from common.validators import sent_id
from costs.models import TIME_CATEGORIES, HourlyRate
from costs.services.common import visible_pilots
from costs.services.rates import (
    hourly_rate_delete,
    hourly_rate_set,
    may_set_hourly_rate,
)
from pilots import access

from .serializers import ScopedPilotField

TIME_CHOICES = [(category.value, category.label) for category in TIME_CATEGORIES]


@extend_schema_field(OpenApiTypes.INT)
class RatePilotField(ScopedPilotField):
    pass


class HourlyRateSerializer(serializers.ModelSerializer):
    """One kind of time's hourly rate: for a pilot, or (`pilot` null) the company default."""

    pilot = RatePilotField(
        allow_null=True,
        required=False,
        default=None,
        help_text="The pilot; null (or left out) for the company default.",
    )
    category = serializers.ChoiceField(choices=TIME_CHOICES, help_text="The kind of time.")
    rate = serializers.DecimalField(
        max_digits=10,
        decimal_places=4,
        help_text="Per hour, in the company currency; more than zero.",
    )

    class Meta:
        model = HourlyRate
        fields = ["id", "pilot", "category", "rate", "updated_by", "updated_at"]
        read_only_fields = ["id", "updated_by", "updated_at"]
        validators = []  # setting a rate again replaces it (the service upserts)


class HourlyRateUpdateSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=10, decimal_places=4)


class HourlyRateFilter(StaticFormFilterSet):
    pilot = django_filters.NumberFilter(field_name="pilot_id", help_text="A pilot's id.")
    company_default = django_filters.BooleanFilter(
        field_name="pilot", lookup_expr="isnull", help_text="Only the company defaults."
    )

    class Meta:
        model = HourlyRate
        fields = {"category": ["exact"]}


def _check_may_set(request) -> None:
    """403 before validation for a caller who may not set the rate the payload names."""
    data = request.data
    if not isinstance(data, Mapping):
        return
    value = data.get("pilot")
    if value is None:
        if not may_set_hourly_rate(request.user, None):
            raise PermissionDenied("Only finance or an administrator sets the company's rates.")
        return
    pilot = visible_pilots(request.user, {sent_id(value)} - {None}).get(sent_id(value))
    if pilot is not None and not may_set_hourly_rate(request.user, pilot):
        raise PermissionDenied(
            "Only the pilot's business or technical owner, or finance, sets its hourly rates."
        )


class HourlyRateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Hourly rates of reviewer, rework and support time. Hours recorded without a rate take the
    pilot's rate for their category, else the company default; each entry keeps the rate it used.
    POST sets (creates or replaces) the rate for pilot + category."""

    schema = DocumentedAutoSchema()
    serializer_class = HourlyRateSerializer
    filterset_class = HourlyRateFilter
    ordering_fields = ["category", "updated_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        visible = access.scope_pilots(self.request.user).values("pk")
        return HourlyRate.objects.filter(Q(pilot__isnull=True) | Q(pilot__in=visible)).order_by(
            "pilot_id", "category", "id"
        )

    @extend_schema(responses={201: HourlyRateSerializer, 200: HourlyRateSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        _check_may_set(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rate, created = hourly_rate_set(by=request.user, **serializer.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(rate).data, status=code)

    @extend_schema(
        request=HourlyRateUpdateSerializer, responses={200: HourlyRateSerializer, **ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        current = self.get_object()
        if not may_set_hourly_rate(request.user, current.pilot):
            raise PermissionDenied("You may read this rate but not change it.")
        serializer = HourlyRateUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rate, _ = hourly_rate_set(
            by=request.user,
            pilot=current.pilot,
            category=current.category,
            rate=serializer.validated_data["rate"],
        )
        return Response(self.get_serializer(rate).data)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        hourly_rate_delete(by=request.user, hourly_rate=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
