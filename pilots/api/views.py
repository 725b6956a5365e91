"""Pilots, teams, people and the ownership matrix over REST. Reads are scoped; writes call services."""

import django_filters
from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ERRORS, VersionedMixin
from common.schema import DocumentedAutoSchema
from pilots import access, selectors, services
from pilots.models import Pilot, PilotRole, StatusChange, Team

from .filters import VisiblePilotFilter
from .permissions import PILOT_PERMISSIONS
from .serializers import (
    PilotListSerializer,
    PilotSerializer,
    PilotStatusSerializer,
    RoleSerializer,
    StatusChangeSerializer,
    TeamSerializer,
    TransitionSerializer,
    UserSerializer,
)

User = get_user_model()


class PilotFilter(django_filters.FilterSet):
    class Meta:
        model = Pilot
        fields = {"status": ["exact", "in"], "team": ["exact"], "next_review_date": ["lte", "gte"]}


class PilotViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    schema = DocumentedAutoSchema()
    filterset_class = PilotFilter
    permission_classes = PILOT_PERMISSIONS
    ordering_fields = ["name", "status", "next_review_date", "updated_at"]

    def get_queryset(self):
        queryset = (
            access.scope_pilots(self.request.user).select_related("team").order_by("name", "id")
        )
        if self.action != "list":
            queryset = queryset.prefetch_related("roles__members")
        return queryset

    def get_serializer_class(self):
        return {"list": PilotListSerializer, "status": PilotStatusSerializer}.get(
            self.action, PilotSerializer
        )

    @extend_schema(responses={201: PilotSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = PilotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pilot = services.pilot_create(
            by=request.user, name=data.pop("name"), team=data.pop("team", None), **data
        )
        return Response(
            PilotSerializer(self.get_queryset().get(pk=pilot.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={200: PilotSerializer, **ERRORS})
    def update(self, request, *args, **kwargs):
        pilot = self.get_object()
        serializer = PilotSerializer(pilot, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        self.version_source = services.pilot_update(
            pilot=pilot,
            by=request.user,
            data=dict(serializer.validated_data),
            expected_version=self.expected_version(),
        )
        return Response(PilotSerializer(self.get_queryset().get(pk=pilot.pk)).data)

    @extend_schema(
        methods=["GET"],
        responses={200: PilotStatusSerializer, 404: ERRORS[404]},
        description="Read this before calling a model: a paused pilot answers `paused` with reason and since when.",
    )
    @extend_schema(
        methods=["POST"],
        request=TransitionSerializer,
        responses={200: PilotStatusSerializer, **ERRORS},
        description="Move the pilot to another status (pause, resume, next stage, retire), with a reason.",
    )
    @action(detail=True, methods=["get", "post"])
    def status(self, request, pk=None):
        pilot = self.get_object()
        if request.method == "POST":
            serializer = TransitionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            pilot = services.pilot_transition(
                pilot=pilot,
                by=request.user,
                to_status=serializer.validated_data["status"],
                reason=serializer.validated_data["reason"],
            )
            self.version_source = pilot
        return Response(PilotStatusSerializer(pilot).data)

    @extend_schema(
        responses={200: StatusChangeSerializer(many=True), 404: ERRORS[404]},
        description=(
            "Every change of the pilot's status, newest first: when, who (`by`) or which stop "
            "rule (`rule`), from, to and why. A pilot you cannot see answers 404."
        ),
    )
    @action(detail=True, methods=["get"], url_path="status-history", filterset_class=None)
    def status_history(self, request, pk=None):
        pilot = self.get_object()
        changes = (
            StatusChange.objects.filter(pilot=pilot).select_related("by").order_by("-at", "-id")
        )
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(StatusChangeSerializer(page, many=True).data)


class RoleFilter(django_filters.FilterSet):
    pilot = VisiblePilotFilter()

    class Meta:
        model = PilotRole
        fields = ["pilot", "kind", "primary", "backup"]


class RoleViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The ownership matrix. POST sets the row for (pilot, kind), creating or replacing it."""

    schema = DocumentedAutoSchema()
    serializer_class = RoleSerializer
    filterset_class = RoleFilter
    permission_classes = PILOT_PERMISSIONS

    def get_queryset(self):
        return access.scope_by_pilot(
            self.request.user,
            PilotRole.objects.select_related("primary", "backup").prefetch_related("members"),
        ).order_by("pilot_id", "kind")

    def _assign(self, request, instance=None, partial=False):
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if instance is not None:
            data["pilot"], data["kind"] = instance.pilot, instance.kind  # a row never moves
        pilot = selectors.pilot_get(user=request.user, pk=data["pilot"].pk)
        merged = {
            "primary": instance.primary if instance else None,
            "backup": instance.backup if instance else None,
            "response_minutes": instance.response_minutes if instance else None,
            "members": list(instance.members.all()) if instance else [],
        }
        merged.update({key: data[key] for key in merged if key in data})
        role = services.role_assign(
            pilot=pilot,
            kind=data["kind"],
            by=request.user,
            expected_version=self.expected_version() if instance is not None else None,
            **merged,
        )
        self.version_source = role
        return self.get_serializer(self.get_queryset().get(pk=role.pk)).data

    @extend_schema(responses={201: RoleSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        return Response(self._assign(request), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: RoleSerializer, **ERRORS})
    def update(self, request, *args, **kwargs):
        return Response(
            self._assign(request, self.get_object(), partial=kwargs.get("partial", False))
        )


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    schema = DocumentedAutoSchema()
    serializer_class = TeamSerializer
    queryset = Team.objects.order_by("name")


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """People who can be named in roles and decision rights."""

    schema = DocumentedAutoSchema()
    serializer_class = UserSerializer
    queryset = User.objects.filter(is_active=True).order_by("username")
    filterset_fields = ["username"]
