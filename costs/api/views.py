"""The ledger, task volumes and cost figures over REST. Reads are scoped; writes call services,
after checking who may record (checks.py): a role that may only read gets 403 whatever it sends.

Bulk pushes (`POST /api/cost-entries/bulk`, `POST /api/task-volumes/bulk`) take a JSON list of
thousands of rows: all rows are saved or none, and a bad row answers 400
`{"errors": [{"index": i, "errors": {field: [...]}}]}`; a row naming a pilot the caller sees but
may not record costs on refuses the whole push with 403.
"""

import django_filters
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from common.api import ERRORS, VersionedMixin, encodable
from common.filters import StaticFormFilterSet
from common.renderers import FastJSONRenderer
from common.schema import DocumentedAutoSchema
from costs import selectors, services
from costs.figures import monthly_estimate
from costs.forms import DashboardFilterForm
from costs.models import CostEntry, Source, TaskVolume
from pilots import selectors as pilot_selectors

from . import checks, ledger
from .parsers import DecimalJSONParser
from .serializers import (
    CostEntryRowSerializer,
    CostEntrySerializer,
    CostEntryUpdateSerializer,
    CostEstimateRowSerializer,
    CostSummarySerializer,
    LedgerPushErrorSerializer,
    LedgerPushResultSerializer,
    TaskVolumeRowSerializer,
    TaskVolumeSerializer,
    WholeRequestErrorSerializer,
)

BULK_ERRORS = {
    400: OpenApiResponse(
        PolymorphicProxySerializer(
            component_name="LedgerPushRefused",
            serializers=[LedgerPushErrorSerializer, WholeRequestErrorSerializer],
            resource_type_field_name=None,
        ),
        description="Nothing was saved: some rows are wrong (`errors`, row by row), or the "
        "request as a whole is (`non_field_errors`)",
    ),
    403: ERRORS[403],
}
PARSERS = [DecimalJSONParser, FormParser, MultiPartParser]


def bulk_response(result: services.PushResult, statuses: tuple[str, ...]) -> Response:
    body = {name: result.count(name) for name in statuses}
    body["rows"] = [
        {"index": index, "id": pk, "status": row_status}
        for index, (row_status, pk) in enumerate(result.rows)
    ]
    code = status.HTTP_201_CREATED if body["created"] else status.HTTP_200_OK
    return Response(body, status=code)


def row_errors_response(error: services.RowErrors) -> Response:
    return Response(encodable({"errors": error.rows}), status=status.HTTP_400_BAD_REQUEST)


def pushed_rows(request):
    """The request's rows; a body past Django's upload limit is a 400 that says to split it, and
    a body that is not JSON a 400 in the same shape (`non_field_errors`)."""
    try:
        return request.data
    except RequestDataTooBig:
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000
        message = f"The body is larger than {megabytes:g} MB: split the push into smaller calls."
        raise ValidationError({"non_field_errors": [message]}) from None
    except ParseError as error:
        raise ValidationError({"non_field_errors": [str(error.detail)]}) from None


class CostEntryFilter(StaticFormFilterSet):
    # A plain id: the entries are scoped already, so a pilot the caller cannot see lists nothing
    # (and no pilot row is read to check the id).
    pilot = django_filters.NumberFilter(field_name="pilot_id", help_text="A pilot's id.")

    class Meta:
        model = CostEntry
        fields = {
            "category": ["exact", "in"],
            "source": ["exact"],
            "task_type": ["exact"],
            "date": ["exact", "gte", "lte"],
            "idempotency_key": ["exact"],
        }


class CostEntryViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The cost ledger. POST records one entry (a repeated idempotency key answers 200 with the
    entry already there); PATCH corrects one; DELETE removes one. The rollup follows each write."""

    schema = DocumentedAutoSchema()
    serializer_class = CostEntrySerializer
    filterset_class = CostEntryFilter
    pagination_class = ledger.LedgerPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]
    ordering_fields = ["date", "amount", "created_at"]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        entries = selectors.entry_list(user=self.request.user)
        if self.action == "list":
            return entries.select_related(None).values_list(*ledger.VALUES)
        if self.action == "retrieve":
            # The serializer reads only the pilot's and the creator's ids: loading both with every
            # row (a pilot is some fifty columns) made a page of 100 entries twice as slow.
            entries = entries.select_related(None)
        return entries

    def list(self, request, *args, **kwargs):
        """The ledger's busiest read: rows and total in one query, shaped without a serializer.
        "This pilot, these days, page n" is one hand-written statement (see costs.api.ledger)."""
        simple = ledger.simple_query(request.query_params)
        if simple is not None:
            size = self.paginator.get_page_size(request)
            found = ledger.simple_page(simple, user=request.user, size=size)
            if found is not None:
                rows, count = found
                self.paginator.page_of(request, rows, simple.number, size, count)
                return self.get_paginated_response(ledger.entry_rows(rows))
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ledger.entry_rows(page))

    @extend_schema(responses={201: CostEntrySerializer, 200: CostEntrySerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        checks.check_payload(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry, created = services.cost_entry_create(
            by=request.user, source=Source.API, **serializer.validated_data
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(entry).data, status=code)

    @extend_schema(
        request=CostEntryUpdateSerializer, responses={200: CostEntrySerializer, **ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        checks.check_pilot(request, entry.pilot)
        serializer = CostEntryUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entry = services.cost_entry_update(
            entry=entry,
            by=request.user,
            data=dict(serializer.validated_data),
            expected_version=self.expected_version(),
        )
        self.version_source = entry
        return Response(self.get_serializer(entry).data)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.cost_entry_delete(entry=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=CostEntryRowSerializer(many=True),
        responses={201: LedgerPushResultSerializer, 200: LedgerPushResultSerializer, **BULK_ERRORS},
        description=(
            "Push up to 10,000 ledger rows at once. All rows are saved or none. A row whose "
            "idempotency key its pilot already has is not added again: the answer says, row by row, "
            "which were `created` and which `existing`, so a gateway may retry safely."
        ),
    )
    @action(detail=False, methods=["post"], parser_classes=[DecimalJSONParser])
    def bulk(self, request):
        rows = pushed_rows(request)
        checks.check_rows(request, rows)
        try:
            result = services.cost_entries_push(by=request.user, rows=rows, source=Source.API)
        except services.RowErrors as error:
            return row_errors_response(error)
        return bulk_response(result, ("created", "existing"))


class TaskVolumeFilter(django_filters.FilterSet):
    class Meta:
        model = TaskVolume
        fields = {"pilot": ["exact"], "task_type": ["exact"], "date": ["exact", "gte", "lte"]}


class TaskVolumeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Completed tasks per pilot and day. POST sets a day's count, replacing what was there."""

    schema = DocumentedAutoSchema()
    serializer_class = TaskVolumeSerializer
    filterset_class = TaskVolumeFilter
    ordering_fields = ["date", "completed"]
    parser_classes = PARSERS

    def get_queryset(self):
        return selectors.volume_list(user=self.request.user)

    @extend_schema(responses={201: TaskVolumeSerializer, 200: TaskVolumeSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        checks.check_payload(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        volume, outcome = services.task_volume_set(
            by=request.user, source=Source.API, **serializer.validated_data
        )
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return Response(self.get_serializer(volume).data, status=code)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.task_volume_delete(volume=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=TaskVolumeRowSerializer(many=True),
        responses={201: LedgerPushResultSerializer, 200: LedgerPushResultSerializer, **BULK_ERRORS},
        description=(
            "Push up to 10,000 rows of completed tasks at once, all or none. A day sent again "
            "replaces its count: rows answer `created`, `replaced` or `unchanged`."
        ),
    )
    @action(detail=False, methods=["post"], parser_classes=[DecimalJSONParser])
    def bulk(self, request):
        rows = pushed_rows(request)
        checks.check_rows(request, rows)
        try:
            result = services.task_volumes_push(by=request.user, rows=rows, source=Source.API)
        except services.RowErrors as error:
            return row_errors_response(error)
        return bulk_response(result, ("created", "replaced", "unchanged"))


SUMMARY_FILTERS = [
    OpenApiParameter("month", str, description="YYYY-MM; this month when left out"),
    OpenApiParameter("team", int),
    OpenApiParameter("status", str),
]


class CostSummaryViewSet(viewsets.GenericViewSet):
    """Each pilot's spend against its cap and its cost per completed task, as on the dashboard."""

    schema = DocumentedAutoSchema()
    serializer_class = CostSummarySerializer
    filter_backends = []
    lookup_field = "pilot"
    lookup_value_regex = r"[0-9]+"

    def _filters(self) -> dict:
        form = DashboardFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {field: list(messages) for field, messages in form.errors.items()}
            )
        return form.filters()

    @extend_schema(
        parameters=SUMMARY_FILTERS,
        responses={200: CostSummarySerializer(many=True), 400: ERRORS[400]},
    )
    def list(self, request):
        filters = self._filters()
        pilots = selectors.dashboard_pilots(
            user=request.user, team=filters["team"], status=filters["status"]
        )
        page = self.paginate_queryset(pilots)
        rows = selectors.pilot_costs(pilots=page, month=filters["month"])
        return self.get_paginated_response(CostSummarySerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("pilot", int, OpenApiParameter.PATH, description="The pilot's id"),
            SUMMARY_FILTERS[0],
        ],
        responses={
            200: inline_serializer(
                "CostSummaryWithEstimate",
                {
                    "summary": CostSummarySerializer(),
                    "estimate": CostEstimateRowSerializer(many=True),
                },
            ),
            **ERRORS,
        },
        description="One pilot's figures and its monthly estimate at three volumes.",
    )
    def retrieve(self, request, pilot=None):
        filters = self._filters()
        record = pilot_selectors.pilot_get(user=request.user, pk=int(pilot))
        summary = selectors.pilot_costs(pilots=[record], month=filters["month"])[0]
        estimate = monthly_estimate(selectors.window_sums(pilot=record), record)
        rows = [
            {
                "label": row.label,
                "multiplier": row.multiplier,
                "tasks": None if row.tasks is None else int(row.tasks),
                "total": row.total,
                "per_task": row.per_task,
                "percent_of_cap": row.percent_of_cap,
            }
            for row in estimate.rows
        ]
        return Response(
            {
                "summary": CostSummarySerializer(summary).data,
                "estimate": CostEstimateRowSerializer(rows, many=True).data,
            }
        )
