"""The company guardrails, data-source classes, use-case requests and "Can I use…?" over REST.

Reads are open to everyone signed in (use-case requests and data-source classes are scoped);
writes call the services, which decide who may make them.
"""

import django_filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ERRORS
from common.schema import DocumentedAutoSchema
from pilots.api.filters import VisiblePilotFilter
from pilots.selectors import pilot_get

from .. import selectors, services
from ..models import ApprovedTool, DataClass, DataSourceClass, ReviewRequirement, UseCaseRequest
from .permissions import LANE_PERMISSIONS, REGISTER_PERMISSIONS
from .serializers import (
    AnswerSerializer,
    ApprovedToolSerializer,
    CanIUseQuerySerializer,
    CompanyLaneSerializer,
    DataClassSerializer,
    DataSourceClassSerializer,
    EscalationPathSerializer,
    ReviewRequirementSerializer,
    UseCaseDecisionSerializer,
    UseCaseRequestSerializer,
)


class OneAnswerSchema(DocumentedAutoSchema):
    """A GET on a collection route that answers one object, not a list."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


def _validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class DataClassViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The data classes and their plain-language rules (administrators and the Security lane write)."""

    schema = DocumentedAutoSchema()
    serializer_class = DataClassSerializer
    permission_classes = REGISTER_PERMISSIONS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.data_class_list()

    def _respond(self, data_class, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=data_class.pk)).data, code)

    @extend_schema(responses={201: DataClassSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = _validated(DataClassSerializer, request)
        return self._respond(
            services.data_class_save(by=request.user, **data), status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: DataClassSerializer, **ERRORS})
    def partial_update(self, request, *args, **kwargs):
        data_class = self.get_object()
        data = _validated(DataClassSerializer, request, partial=True)
        merged = {
            "name": data_class.name,
            "rule": data_class.rule,
            "level": data_class.level,
            "aliases": data_class.aliases,
            "needs_security_approval": data_class.needs_security_approval,
            **data,
        }
        return self._respond(
            services.data_class_save(by=request.user, data_class=data_class, **merged)
        )


class ApprovedToolViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The approved tools register: what each tool is approved for and the data it may touch."""

    schema = DocumentedAutoSchema()
    serializer_class = ApprovedToolSerializer
    permission_classes = REGISTER_PERMISSIONS
    filterset_fields = {"review_date": ["lte", "gte"], "data_classes": ["exact"]}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.approved_tool_list().order_by("name")

    def _respond(self, tool: ApprovedTool, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=tool.pk)).data, code)

    @extend_schema(responses={201: ApprovedToolSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = _validated(ApprovedToolSerializer, request)
        return self._respond(
            services.approved_tool_save(by=request.user, **data), status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: ApprovedToolSerializer, **ERRORS})
    def partial_update(self, request, *args, **kwargs):
        tool = self.get_object()
        data = _validated(ApprovedToolSerializer, request, partial=True)
        merged = {
            "name": tool.name,
            "approved_for": tool.approved_for,
            "data_classes": list(tool.data_classes.all()),
            "review_date": tool.review_date,
            "approved_by": tool.approved_by,
            **data,
        }
        return self._respond(services.approved_tool_save(by=request.user, tool=tool, **merged))

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.approved_tool_delete(by=request.user, tool=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewRequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Human review requirements by use area. POST sets one area's requirement."""

    schema = DocumentedAutoSchema()
    serializer_class = ReviewRequirementSerializer
    permission_classes = REGISTER_PERMISSIONS
    queryset = ReviewRequirement.objects.order_by("area")

    @extend_schema(responses={201: ReviewRequirementSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = _validated(ReviewRequirementSerializer, request)
        requirement = services.review_requirement_set(
            by=request.user,
            area=data["area"],
            review_required=data.get("review_required", True),
            rule=data.get("rule", ""),
        )
        return Response(self.get_serializer(requirement).data, status=status.HTTP_201_CREATED)


class CompanyLaneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The company-wide ownership lanes and their contacts. POST sets one lane (administrators)."""

    schema = DocumentedAutoSchema()
    serializer_class = CompanyLaneSerializer
    permission_classes = LANE_PERMISSIONS

    def get_queryset(self):
        return selectors.company_lane_list()

    @extend_schema(responses={201: CompanyLaneSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = _validated(CompanyLaneSerializer, request)
        lane = services.company_lane_assign(by=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=lane.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class EscalationPathViewSet(viewsets.GenericViewSet):
    """The eight escalation paths: where each category of AI issue goes and how fast it must be
    answered. POST sets one category's path (administrators)."""

    schema = DocumentedAutoSchema()
    serializer_class = EscalationPathSerializer
    permission_classes = LANE_PERMISSIONS
    pagination_class = None
    filter_backends = []  # always the eight categories

    @extend_schema(responses={200: EscalationPathSerializer(many=True)})
    def list(self, request):
        return Response(self.get_serializer(selectors.escalation_paths().values(), many=True).data)

    @extend_schema(responses={201: EscalationPathSerializer, **ERRORS})
    def create(self, request):
        data = _validated(EscalationPathSerializer, request)
        services.escalation_path_set(by=request.user, **data)
        path = selectors.escalation_paths()[data["category"]]
        return Response(self.get_serializer(path).data, status=status.HTTP_201_CREATED)


class DataSourceClassFilter(django_filters.FilterSet):
    pilot = VisiblePilotFilter()

    class Meta:
        model = DataSourceClass
        fields = ["pilot", "data_class"]


class DataSourceClassViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The data class a pilot's owners gave each of its data sources (sources without one are
    matched by name). POST sets (or, with `data_class: null`, clears) one source's class."""

    schema = DocumentedAutoSchema()
    serializer_class = DataSourceClassSerializer
    filterset_class = DataSourceClassFilter

    def get_queryset(self):
        return selectors.data_source_class_list(user=self.request.user).order_by(
            "pilot_id", "source"
        )

    @extend_schema(
        responses={
            201: DataSourceClassSerializer,
            204: OpenApiResponse(description="Cleared"),
            **ERRORS,
        }
    )
    def create(self, request, *args, **kwargs):
        data = _validated(DataSourceClassSerializer, request)
        pilot = pilot_get(user=request.user, pk=data["pilot"].pk)
        row = services.data_source_classify(
            pilot=pilot, by=request.user, source=data["source"], data_class=data["data_class"]
        )
        if row is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=row.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class UseCaseRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """New AI use cases. Anyone signed in proposes one (POST); the lane contacts on its approval
    path approve or reject it; the last approval makes it a draft pilot (`pilot`). You see your own
    requests; lane contacts and administrators see every one."""

    schema = DocumentedAutoSchema()
    serializer_class = UseCaseRequestSerializer
    filterset_fields = {"status": ["exact"]}
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.use_case_list(user=self.request.user)

    def _respond(self, item: UseCaseRequest, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data, code)

    @extend_schema(responses={201: UseCaseRequestSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = _validated(UseCaseRequestSerializer, request)
        item = services.use_case_request_create(by=request.user, **data)
        return self._respond(item, status.HTTP_201_CREATED)

    def _decide(self, request, approve: bool) -> Response:
        item = self.get_object()
        data = _validated(UseCaseDecisionSerializer, request)
        return self._respond(
            services.use_case_decide(request=item, by=request.user, approve=approve, **data)
        )

    @extend_schema(
        request=UseCaseDecisionSerializer,
        responses={200: UseCaseRequestSerializer, **ERRORS},
        description="Approve your lane's step; the last approval creates the draft pilot.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, approve=True)

    @extend_schema(
        request=UseCaseDecisionSerializer,
        responses={200: UseCaseRequestSerializer, **ERRORS},
        description="Reject the request; the note (why) is required.",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, approve=False)


class CanIUseViewSet(viewsets.GenericViewSet):
    """“Can I use this tool with this data?” answered from the data rules."""

    serializer_class = AnswerSerializer
    pagination_class = None
    filter_backends = []
    schema = OneAnswerSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("tool", str, required=True, description="The tool's name."),
            OpenApiParameter("data_class", int, required=True, description="A data class id."),
        ],
        responses={200: AnswerSerializer, 400: ERRORS[400]},
    )
    def list(self, request):
        serializer = CanIUseQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data_class: DataClass = serializer.validated_data["data_class"]
        answer = selectors.can_i_use(
            tool=serializer.validated_data["tool"], data_class_id=data_class.pk
        )
        ask = answer.ask and (answer.ask.primary or answer.ask.backup)
        return Response(
            AnswerSerializer(
                {
                    "allowed": answer.allowed,
                    "headline": answer.headline,
                    "reasons": answer.reasons,
                    "tool": answer.tool.name if answer.tool else None,
                    "data_class": answer.data_class.name,
                    "other_tools": answer.other_tools,
                    "ask": (ask.get_full_name() or ask.get_username()) if ask else None,
                }
            ).data
        )
