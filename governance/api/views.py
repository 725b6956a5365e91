"""Decision rights and the change log over REST; actions are thin calls into services."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ERRORS
from common.filters import FilterSet
from common.schema import DocumentedAutoSchema
from governance import selectors, services
from governance.models import Alert, Change, DecisionRight, RuleSettings
from pilots.access import scope_by_pilot
from pilots.api.filters import VisiblePilotFilter

from .serializers import (
    AlertSerializer,
    ChangeDecisionSerializer,
    ChangeOutcomeSerializer,
    ChangeSerializer,
    DecisionRightSerializer,
    RuleSettingsSerializer,
)


class DecisionRightFilter(django_filters.FilterSet):
    pilot = VisiblePilotFilter()

    class Meta:
        model = DecisionRight
        fields = ["pilot", "kind", "owner"]


class ChangeFilter(FilterSet):
    pilot = VisiblePilotFilter()

    class Meta:
        model = Change
        fields = {"kind": ["exact"], "status": ["exact", "in"], "live_at": ["gte", "lte"]}


class DecisionRightViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """POST sets the owner and backup of one decision right (pilot + kind), creating or replacing it."""

    schema = DocumentedAutoSchema()
    serializer_class = DecisionRightSerializer
    filterset_class = DecisionRightFilter

    def get_queryset(self):
        return selectors.decision_right_list(user=self.request.user)

    @extend_schema(responses={201: DecisionRightSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        right = services.decision_right_assign(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(right).data, status=status.HTTP_201_CREATED)


class ChangeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The change log: propose (POST), then approve or reject, put live, record the outcome."""

    schema = DocumentedAutoSchema()
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilter
    ordering_fields = ["created_at", "live_at"]

    def get_queryset(self):
        return selectors.change_list(user=self.request.user)

    @extend_schema(responses={201: ChangeSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.change_propose(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(change).data, status=status.HTTP_201_CREATED)

    def _respond(self, change: Change) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(request=ChangeDecisionSerializer, responses={200: ChangeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._validated(ChangeDecisionSerializer)
        return self._respond(
            services.change_decide(change=self.get_object(), by=request.user, approve=True, **data)
        )

    @extend_schema(request=ChangeDecisionSerializer, responses={200: ChangeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self._validated(ChangeDecisionSerializer)
        return self._respond(
            services.change_decide(change=self.get_object(), by=request.user, approve=False, **data)
        )

    @extend_schema(request=None, responses={200: ChangeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def live(self, request, pk=None):
        return self._respond(services.change_mark_live(change=self.get_object(), by=request.user))

    @extend_schema(request=ChangeOutcomeSerializer, responses={200: ChangeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        data = self._validated(ChangeOutcomeSerializer)
        return self._respond(
            services.change_record_outcome(change=self.get_object(), by=request.user, **data)
        )

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class AlertFilter(FilterSet):
    pilot = VisiblePilotFilter()

    class Meta:
        model = Alert
        fields = {"rule": ["exact"], "raised_at": ["gte", "lte"], "paused_pilot": ["exact"]}


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts raised by the stop rules, newest first, with the state of their deliveries."""

    schema = DocumentedAutoSchema()
    serializer_class = AlertSerializer
    filterset_class = AlertFilter

    def get_queryset(self):
        return selectors.alert_list(user=self.request.user).order_by("-raised_at", "-id")


class RuleSettingsFilter(django_filters.FilterSet):
    pilot = VisiblePilotFilter()

    class Meta:
        model = RuleSettings
        fields = ["pilot"]


class RuleSettingsViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Per-pilot stop-rule settings. POST sets them for a pilot (creating or replacing the row)."""

    schema = DocumentedAutoSchema()
    serializer_class = RuleSettingsSerializer
    filterset_class = RuleSettingsFilter

    def get_queryset(self):
        return scope_by_pilot(self.request.user, RuleSettings.objects.all()).order_by("pilot_id")

    @extend_schema(responses={201: RuleSettingsSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pilot = data.pop("pilot")
        row = services.rule_settings_update(pilot=pilot, by=request.user, data=data)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)
