"""Review weeks, samples (one or many at once) and the error log over REST; writes call services.

Who may write is checked before the payload is validated (checks.py): a role that may only read
the pilot gets 403 whatever it sends."""

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from common.api import ERRORS, VersionedMixin, encodable
from common.errors import ApplicationError, PermissionDenied
from common.schema import DocumentedAutoSchema
from pilots.selectors import pilot_get

from .. import selectors, services
from ..models import ErrorEntry, ReviewWeek
from ..weeks import week_start
from . import checks
from .serializers import (
    BulkErrorSerializer,
    BulkResultSerializer,
    ErrorEntrySerializer,
    ErrorEntryUpdateSerializer,
    ErrorReportSerializer,
    FailureModeSerializer,
    ResolveSerializer,
    ReviewWeekCloseSerializer,
    ReviewWeekSerializer,
    ReviewWeekUpdateSerializer,
    SampleSerializer,
)


def _whole_request_error(message: str) -> Response:
    """A bulk call's answer when the request as a whole is wrong: the row errors' shape, no index."""
    return Response(
        encodable({"errors": [{"index": None, "errors": {"non_field_errors": [message]}}]}),
        status=status.HTTP_400_BAD_REQUEST,
    )


def _validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReviewWeekViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Review weeks. POST opens (or returns) the week of a pilot for an ISO week; PATCH keeps its
    notes, reviewer, target and the change to test next; POST …/close records the decision."""

    schema = DocumentedAutoSchema()
    serializer_class = ReviewWeekSerializer
    filterset_fields = {"pilot": ["exact"], "status": ["exact"], "week_start": ["gte", "lte"]}
    ordering_fields = ["week_start"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.week_list(user=self.request.user).annotate(sample_count=Count("samples"))

    def get_serializer(self, *args, **kwargs):
        """Weeks being shown get their figures in one query for the whole page."""
        if args and "data" not in kwargs:
            weeks = list(args[0]) if kwargs.get("many") else [args[0]]
            context = self.get_serializer_context()
            context["week_figures"] = selectors.figures_by_week(weeks=weeks)
            kwargs["context"] = context
            args = (weeks if kwargs.get("many") else args[0], *args[1:])
        return super().get_serializer(*args, **kwargs)

    def _respond(self, week: ReviewWeek, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            self.get_serializer(self.get_queryset().get(pk=week.pk)).data, status=status_code
        )

    @extend_schema(responses={201: ReviewWeekSerializer, 200: ReviewWeekSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        checks.check_week_open(request)
        data = _validated(ReviewWeekSerializer, request)
        pilot = pilot_get(user=request.user, pk=data["pilot"].pk)
        start = week_start(data["iso_week"])
        existed = ReviewWeek.objects.filter(pilot=pilot, week_start=start).exists()
        week = services.review_week_open(pilot=pilot, iso_week=data["iso_week"], by=request.user)
        extra = {name: data[name] for name in ("notes", "reviewer", "next_change") if name in data}
        if extra:
            week = services.review_week_update(week=week, by=request.user, data=extra)
        return self._respond(week, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewWeekUpdateSerializer, responses={200: ReviewWeekSerializer, **ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        week = self.get_object()
        checks.check_week_keeper(request, week)
        data = _validated(ReviewWeekUpdateSerializer, request)
        return self._respond(services.review_week_update(week=week, by=request.user, data=data))

    @extend_schema(
        request=ReviewWeekCloseSerializer,
        responses={200: ReviewWeekSerializer, **ERRORS},
        description="Close the week with the team's decision; below target it needs a reason.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        week = self.get_object()
        checks.check_week_keeper(request, week)
        data = _validated(ReviewWeekCloseSerializer, request)
        return self._respond(services.review_week_close(week=week, by=request.user, **data))


class SampleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Review samples: log one (POST), many at once (POST /api/samples/bulk), or remove one."""

    schema = DocumentedAutoSchema()
    serializer_class = SampleSerializer
    filterset_fields = {
        "pilot": ["exact"],
        "week": ["exact"],
        "produced_on": ["gte", "lte"],
        "outcome": ["exact"],
        "case": ["exact"],
    }
    ordering_fields = ["created_at", "produced_on"]

    def get_queryset(self):
        return selectors.sample_list(user=self.request.user).select_related("week")

    @extend_schema(responses={201: SampleSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        checks.check_sample_rows(request, [checks.payload(request)])
        data = _validated(SampleSerializer, request)
        week = data.pop("week")
        sample = services.sample_log(week=week, by=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=sample.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=SampleSerializer(many=True),
        responses={201: BulkResultSerializer, 400: BulkErrorSerializer, 403: ERRORS[403]},
        description=(
            "Log many samples in one call (a JSON list, each row naming its `week`). All or nothing: "
            "if any row is invalid, nothing is saved and the answer lists each bad row's index and "
            "field errors."
        ),
    )
    @action(detail=False, methods=["post"], parser_classes=[JSONParser])
    def bulk(self, request):
        try:
            rows = request.data
        except ParseError as error:
            return _whole_request_error(str(error.detail))
        if not isinstance(rows, list):
            return _whole_request_error("Send a JSON list of samples.")
        checks.check_sample_rows(request, rows)
        serializer = SampleSerializer(data=rows, many=True, context={"request": request})
        if not serializer.is_valid():
            errors = serializer.errors
            # DRF reports rows as a list (one entry per row) or, newer, as {index: errors}.
            pairs = errors.items() if isinstance(errors, dict) else enumerate(errors)
            # A row that is not an object at all (`null`, a number) has a list of messages.
            bad_rows = [
                {
                    "index": int(index),
                    "errors": row if isinstance(row, dict) else {"non_field_errors": row},
                }
                for index, row in pairs
                if row
            ]
            return Response(encodable({"errors": bad_rows}), status=status.HTTP_400_BAD_REQUEST)
        try:
            samples = services.sample_log_bulk(by=request.user, rows=serializer.validated_data)
        except services.BulkRowErrors as error:
            rows = [{"index": index, "errors": errors} for index, errors in error.rows]
            return Response(encodable({"errors": rows}), status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied:
            raise
        except ApplicationError as error:  # the list as a whole: empty, or too long
            return _whole_request_error(error.message)
        return Response(
            {"created": len(samples), "ids": [sample.pk for sample in samples]},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.sample_delete(sample=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ErrorEntryViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The error log. POST logs a full entry (reviewers); PATCH completes it or records the fix
    (owners and the stop authority); POST …/resolve closes it. A stop-now entry pauses the pilot."""

    schema = DocumentedAutoSchema()
    serializer_class = ErrorEntrySerializer
    filterset_fields = {
        "pilot": ["exact"],
        "severity": ["exact", "in"],
        "status": ["exact"],
        "category": ["exact"],
        "failure_mode": ["exact"],
        "occurred_on": ["gte", "lte"],
    }
    ordering_fields = ["created_at", "occurred_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.error_list(user=self.request.user)

    def _respond(self, entry: ErrorEntry, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=status_code
        )

    @extend_schema(responses={201: ErrorEntrySerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        checks.check_error_log(request)
        data = _validated(ErrorEntrySerializer, request)
        pilot = data.pop("pilot")
        entry = services.error_log(pilot=pilot, by=request.user, **data)
        return self._respond(entry, status.HTTP_201_CREATED)

    @extend_schema(
        request=ErrorEntryUpdateSerializer, responses={200: ErrorEntrySerializer, **ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        checks.check_error_update(request, entry)
        data = _validated(ErrorEntryUpdateSerializer, request, partial=True)
        entry = services.error_update(
            entry=entry, by=request.user, data=data, expected_version=self.expected_version()
        )
        self.version_source = entry
        return self._respond(entry)

    @extend_schema(
        request=ResolveSerializer,
        responses={200: ErrorEntrySerializer, **ERRORS},
        description="Resolve the entry; a stop-now entry only by a stop authority, with a note.",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        entry = self.get_object()
        checks.check_resolve(request, entry)
        data = _validated(ResolveSerializer, request)
        return self._respond(services.error_resolve(entry=entry, by=request.user, **data))


class ErrorReportViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Report bad output in seconds, for tools with a "report" button of their own: one required
    field. Anyone who can see the pilot may report; a stop-now report pauses the pilot at once."""

    schema = DocumentedAutoSchema()
    serializer_class = ErrorReportSerializer
    queryset = ErrorEntry.objects.none()

    @extend_schema(request=ErrorReportSerializer, responses={201: ErrorEntrySerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = _validated(ErrorReportSerializer, request)
        pilot = data.pop("pilot")
        entry = services.error_report(pilot=pilot, by=request.user, **data)
        entry = selectors.error_list(user=request.user).get(pk=entry.pk)
        return Response(
            ErrorEntrySerializer(entry, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class FailureModeViewSet(viewsets.ReadOnlyModelViewSet):
    """Each pilot's failure-mode vocabulary; entries add tags as they name them."""

    schema = DocumentedAutoSchema()
    serializer_class = FailureModeSerializer
    filterset_fields = ["pilot", "slug"]

    def get_queryset(self):
        return selectors.failure_mode_list(user=self.request.user)
