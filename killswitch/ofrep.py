"""The kill switch through the OpenFeature Remote Evaluation Protocol (OFREP).

One boolean flag per pilot, `pilot-<id>-may-call-model`, so any OpenFeature SDK reads the kill
switch with no Pilotdeck code. The same cached records and tokens as the status endpoints."""

import re

from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import JSONParser

from pilots.status_cache import record

from .views import StatusView, bulk_etag, cached_answer, not_modified, visible_records

FLAG = re.compile(r"^pilot-(\d{1,18})-may-call-model$")


def flag_key(pilot_id: int) -> str:
    return f"pilot-{pilot_id}-may-call-model"


def evaluation(found: dict) -> dict:
    value = found["may_call_model"]
    return {
        "key": flag_key(found["id"]),
        "reason": "STATIC",
        "variant": "on" if value else "off",
        "value": value,
        "metadata": {"status": found["status"], "reason": found["reason"] or ""},
    }


def flag_not_found(key: str) -> JsonResponse:
    return JsonResponse(
        {"key": key, "errorCode": "FLAG_NOT_FOUND", "errorDetails": "No pilot you can see."},
        status=404,
    )


@extend_schema(exclude=True)  # OFREP's own OpenAPI document describes these
class EvaluateView(StatusView):
    parser_classes = [JSONParser]

    def post(self, request, key: str):
        match = FLAG.match(key)
        if not match:
            return flag_not_found(key)
        pilot_id = int(match.group(1))
        found = record(pilot_id) if self.scope().allows(pilot_id) else None
        if found is None:
            return flag_not_found(key)
        response = JsonResponse(evaluation(found))
        response["ETag"] = f'"{found["etag"]}"'
        return response


@extend_schema(exclude=True)
class BulkEvaluateView(StatusView):
    parser_classes = [JSONParser]

    def post(self, request):
        found = visible_records(self.scope(), None)
        etag = bulk_etag(found)
        if not_modified(request, etag):
            return cached_answer(request, {}, etag)
        return cached_answer(request, {"flags": [evaluation(item) for item in found]}, etag)
