"""The three ways traffic comes in: the native bulk API, LiteLLM's generic API logger, and
OTLP/HTTP trace export. Each reads its body whole (up to PILOTDECK_TRAFFIC_MAX_BODY_BYTES, else
413 naming the limit), maps it to task rows and hands them to `tasks_ingest`."""

import json
from decimal import Decimal
from itertools import chain

import orjson
from django.conf import settings
from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import encodable
from common.batch import collector_paused
from costs.services.common import RowErrors
from pilots import access

from .gateways import PayloadError, litellm_payloads, litellm_rows, otlp_request, otlp_rows
from .models import Origin
from .services.ingest import tasks_ingest
from .services.pickup import TaskNotFound, task_pick_up

LIMIT_MESSAGE = "The body is larger than {limit:,} bytes: send smaller batches."


class RawBody(BaseParser):
    """Leave the body to the view (JSON, NDJSON or protobuf)."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return None


def _too_large(request) -> Response | None:
    limit = settings.PILOTDECK_TRAFFIC_MAX_BODY_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return Response(
            {"non_field_errors": [LIMIT_MESSAGE.format(limit=limit)]},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return None


def _read(request) -> bytes:
    return request._request.read(settings.PILOTDECK_TRAFFIC_MAX_BODY_BYTES + 1)


def _has_float(rows) -> bool:
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list):
        return False
    try:  # every row an object, the usual case: the values' types gathered without a Python loop
        return float in set(map(type, chain.from_iterable(map(dict.values, rows))))
    except TypeError:
        return any(
            value.__class__ is float
            for row in rows
            if isinstance(row, dict)
            for value in row.values()
        )


def _is_ndjson(content_type: str) -> bool:
    return "ndjson" in content_type or "jsonl" in content_type


def _json_rows(body: bytes, content_type: str, *, floats_at_source: bool = False):
    """A JSON array (or one object), or NDJSON: one object per line. Numbers stay exact. orjson
    reads the body first (four times faster); a body with a decimal number among its rows'
    fields is read again by Python's reader, decimals as Decimal, unless the sender's numbers are
    floats at their source (LiteLLM's `response_cost` is a Python float, written in its shortest
    form: orjson is just as exact for it). What orjson refuses (NaN, integers past 64 bits) is
    read the exact way too, so such a row is refused by its field check, not the batch."""
    ndjson = _is_ndjson(content_type)
    try:
        if ndjson:
            rows = [orjson.loads(line) for line in body.splitlines() if line.strip()]
        else:
            rows = orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    else:
        # Without a float among the rows' fields (numbers as text or whole), orjson's reading is
        # the exact one; with one, only a sender whose floats are floats at their source keeps it.
        if floats_at_source or not _has_float(rows):
            return rows
    text = body.decode("utf-8")
    if ndjson:
        return [json.loads(line, parse_float=Decimal) for line in text.splitlines() if line.strip()]
    return json.loads(text, parse_float=Decimal)


def _bad(reason: str) -> Response:
    return Response({"non_field_errors": [reason]}, status=status.HTTP_400_BAD_REQUEST)


def _summary(result) -> dict:
    return {
        "received": result.received,
        "created": result.created,
        "duplicates": result.duplicates,
        "refused": result.refused,
        "errors": encodable(result.errors[:50]),
    }


RESULT = inline_serializer(
    "TaskIngestResult",
    {
        "received": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "duplicates": serializers.IntegerField(help_text="Already stored: a retry counts once."),
        "refused": serializers.IntegerField(),
        "errors": serializers.ListField(child=serializers.DictField()),
    },
)
REFUSED = {
    400: OpenApiResponse(description="Unreadable body, or (native API) rows with field errors"),
    413: OpenApiResponse(description="The body is larger than the limit"),
}


class TaskBulkView(APIView):
    """POST /api/tasks/bulk: up to 10,000 task records, JSON array or NDJSON; all or none."""

    parser_classes = [RawBody]

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={201: RESULT, 200: RESULT, **REFUSED},
        description=(
            "Task records (pilot, source_id, started_at, ended_at, user, team, task_type, "
            "model_requested, model_served, prompt_version, input_tokens, output_tokens, "
            "api_cost, latency_ms, outcome, handoff_reason, trace_url, people_seconds). All are "
            "saved or none; a task the pilot already has (same source_id and start) is not "
            "added again."
        ),
    )
    @collector_paused()  # a batch is tens of thousands of small objects: see common.batch
    def post(self, request):
        refused = _too_large(request)
        if refused:
            return refused
        try:
            rows = _json_rows(_read(request), request.content_type or "")
        except (ValueError, UnicodeDecodeError) as error:
            return _bad(f"JSON parse error - {error}")
        try:
            result = tasks_ingest(
                by=request.user, rows=rows, origin=Origin.NATIVE, keep_valid=False
            )
        except RowErrors as error:
            return Response(encodable({"errors": error.rows}), status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(_summary(result), status=code)


class LiteLLMReceiverView(APIView):
    """POST /api/traffic/litellm: LiteLLM's generic API logger (json_array, ndjson or single)."""

    parser_classes = [RawBody]

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={200: RESULT, **REFUSED},
        description=(
            "Point LiteLLM's `generic_api` callback here with `Authorization: Token …`. Valid "
            "rows are kept, the others refused and listed (and shown on the pilot's Connections "
            "page): one bad row never loses a batch."
        ),
    )
    @collector_paused()  # a batch is tens of thousands of small objects: see common.batch
    def post(self, request):
        refused = _too_large(request)
        if refused:
            return refused
        body, content_type = _read(request), request.content_type or ""
        try:
            payloads = litellm_payloads(body, _is_ndjson(content_type))
            if payloads is None:  # not the usual shape: read the general way, then row by row
                payloads = _json_rows(body, content_type, floats_at_source=True)
                if (
                    isinstance(payloads, list)
                    and len(payloads) == 1
                    and isinstance(payloads[0], list)
                ):
                    payloads = payloads[0]
            rows = litellm_rows(payloads)
        except (ValueError, UnicodeDecodeError) as error:  # PayloadError is a ValueError
            return _bad(
                str(error) if isinstance(error, PayloadError) else f"JSON parse error - {error}"
            )
        result = tasks_ingest(by=request.user, rows=rows, origin=Origin.LITELLM, keep_valid=True)
        return Response(_summary(result))


class OTLPTracesView(APIView):
    """POST /otlp/v1/traces: OTLP/HTTP trace export, protobuf or JSON. GenAI spans become tasks;
    refused spans are reported as OTLP partial success."""

    parser_classes = [RawBody]
    schema = None  # OTLP has its own specification

    @collector_paused()  # a batch is tens of thousands of small objects: see common.batch
    def post(self, request):
        refused = _too_large(request)
        if refused:
            return refused
        content_type = request.content_type or "application/x-protobuf"
        try:
            export = otlp_request(_read(request), content_type)
        except PayloadError as error:
            return _bad(str(error))
        result = tasks_ingest(
            by=request.user, rows=otlp_rows(export), origin=Origin.OTLP, keep_valid=True
        )
        answer = ExportTraceServiceResponse()
        if result.refused:
            answer.partial_success.rejected_spans = result.refused
            first = result.errors[0]
            answer.partial_success.error_message = (
                f"{result.refused} span(s) refused; first (index {first['index']}): "
                + json.dumps(encodable(first["errors"]))
            )[:2000]
        if "json" in content_type:
            return HttpResponse(json_format.MessageToJson(answer), content_type="application/json")
        return HttpResponse(answer.SerializeToString(), content_type="application/x-protobuf")


PICKUP = inline_serializer(
    "TaskPickUp",
    {
        "picked_up_at": serializers.DateTimeField(
            help_text="When a person picked the handed-off task up (ISO 8601 with its offset)."
        )
    },
)
PICKED_UP = inline_serializer(
    "TaskPickedUp",
    {
        "pilot": serializers.IntegerField(),
        "source_id": serializers.CharField(),
        "outcome": serializers.CharField(),
        "ended_at": serializers.DateTimeField(),
        "picked_up_at": serializers.DateTimeField(),
    },
)


class TaskPickUpView(APIView):
    """PATCH /api/pilots/{id}/tasks/{source_id}: the receiving tool of a handoff reports when a
    person picked it up. 404 for a pilot the caller cannot see or a task it does not have; 403
    for a role that may not record the pilot's figures, before the body is read."""

    @extend_schema(
        request=PICKUP,
        responses={
            200: PICKED_UP,
            400: OpenApiResponse(description="Field errors"),
            403: OpenApiResponse(description="Your role may not record this pilot's figures"),
            404: OpenApiResponse(description="No such pilot or task, or not visible to you"),
        },
    )
    def patch(self, request, pk: int, source_id: str):
        pilot = access.scope_pilots(request.user).filter(pk=pk).first()
        if pilot is None:
            raise Http404
        try:
            record = task_pick_up(
                by=request.user, pilot=pilot, source_id=source_id, data=request.data
            )
        except TaskNotFound:
            raise Http404 from None
        return Response(
            {
                "pilot": pilot.pk,
                "source_id": record.source_id,
                "outcome": record.outcome,
                "ended_at": record.ended_at,
                "picked_up_at": record.picked_up_at,
            }
        )
