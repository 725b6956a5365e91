"""The status answer at gateway speed: one pilot, many pilots; cached, with ETag and max-age.

A warm answer runs no query: the kill-switch token was verified moments ago in this process (see
.authentication) and the record comes from `pilots.status_cache`, which pilots/services.
pilot_transition refreshes when a status change commits. No throttle here: a gateway asks before
every model call, and a throttle's counter would cost more than the answer.

The two endpoints are plain Django views (`pilot_status`, `bulk_status`): a gateway waits on this
answer before every model call, and DRF's request wrapping, negotiation and permission checks
cost more than the answer. They answer DRF's errors in DRF's shape, and the APIView classes
below document them in the OpenAPI schema (and answer the same through DRF).
"""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from pilots.api.authentication import TokenAuthentication
from pilots.models import Pilot
from pilots.status_cache import record, records

from .authentication import Scope, StatusTokenAuthentication, scope_of

BULK_LIMIT = 5000
PUBLIC_FIELDS = ("id", "status", "since", "reason", "paused", "may_call_model")


class StatusAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Pilot.Status.choices)
    since = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    paused = serializers.BooleanField()
    may_call_model = serializers.BooleanField(
        help_text="False when the pilot is paused, retired or still a draft: do not call the model."
    )


class BulkStatusSerializer(serializers.Serializer):
    results = StatusAnswerSerializer(many=True)


def public(found: dict) -> dict:
    return {field: found[field] for field in PUBLIC_FIELDS}


def not_modified(request, etag: str) -> bool:
    sent = request.META.get("HTTP_IF_NONE_MATCH")
    if not sent:
        return False
    tags = parse_etags(sent)
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def cached_answer(request, body: dict, etag: str) -> HttpResponse:
    """A 200 with the body, or a 304 if the client holds this ETag; both carry ETag and max-age."""
    if not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(json.dumps(body), content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=settings.PILOTDECK_STATUS_MAX_AGE)
    return response


def not_found() -> JsonResponse:
    return JsonResponse({"detail": "No pilot you can see has this id."}, status=404)


AUTHENTICATORS = (StatusTokenAuthentication(), TokenAuthentication())
SAFE_METHODS = ("GET", "HEAD")


def authenticated(request) -> tuple:
    """(user, auth) for the token presented, as DRF would find them; raises DRF's 401s."""
    for authenticator in AUTHENTICATORS:
        found = authenticator.authenticate(request)
        if found is not None:
            return found
    raise exceptions.NotAuthenticated()


def refused(error: exceptions.APIException) -> JsonResponse:
    """DRF's answer to `error`: its detail (field errors as they are), and for a 401 the scheme."""
    detail = error.detail
    response = JsonResponse(
        detail if isinstance(detail, dict) else {"detail": detail}, status=error.status_code
    )
    if error.status_code == 401:
        response["WWW-Authenticate"] = "Token"
    return response


def status_endpoint(documented: type[APIView]):
    """Serve `answer(request, scope, **kwargs)` as a plain Django view for GET and HEAD.

    drf-spectacular documents the view as the APIView `documented` (it reads `cls`)."""

    def decorate(answer):
        @csrf_exempt
        @wraps(answer)
        def endpoint(request, **kwargs):
            if request.method not in SAFE_METHODS:
                response = JsonResponse(
                    {"detail": f'Method "{request.method}" not allowed.'}, status=405
                )
                response["Allow"] = ", ".join(SAFE_METHODS)
                return response
            try:
                user, auth = authenticated(request)
                return answer(request, scope_of(user, auth), **kwargs)
            except exceptions.APIException as error:
                return refused(error)

        endpoint.cls, endpoint.initkwargs = documented, {}
        return endpoint

    return decorate


def pilot_answer(request, scope: Scope, pk: int) -> HttpResponse:
    if pk > 2**63 - 1 or not scope.allows(pk):
        return not_found()
    found = record(pk)
    if found is None:
        return not_found()
    return cached_answer(request, public(found), quote_etag(found["etag"]))


def requested_ids(raw: str | None) -> list[int] | None:
    if raw is None or not raw.strip():
        return None
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ValidationError({"ids": ["Give pilot ids separated by commas."]}) from None
    if len(ids) > BULK_LIMIT or any(pk < 1 or pk > 2**63 - 1 for pk in ids):
        raise ValidationError({"ids": [f"At most {BULK_LIMIT} positive pilot ids."]})
    return ids


def visible_records(scope: Scope, ids: list[int] | None) -> list[dict]:
    """The records of the pilots asked for (or all the caller may see) that the caller may see."""
    if ids is None:
        ids = (
            list(Pilot.objects.order_by("pk").values_list("pk", flat=True))
            if scope.every
            else sorted(scope.ids)
        )
    ids = [pk for pk in dict.fromkeys(ids) if scope.allows(pk)]
    found = records(ids)
    return [found[pk] for pk in ids if pk in found]


def bulk_etag(found: list[dict]) -> str:
    joined = ",".join(f"{item['id']}:{item['etag']}" for item in found)
    return quote_etag(hashlib.blake2b(joined.encode(), digest_size=12).hexdigest())


def bulk_answer(request, scope: Scope) -> HttpResponse:
    found = visible_records(scope, requested_ids(request.GET.get("ids")))
    return cached_answer(request, {"results": [public(item) for item in found]}, bulk_etag(found))


class StatusView(APIView):
    authentication_classes = [StatusTokenAuthentication, TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = []
    renderer_classes = [JSONRenderer]

    def scope(self) -> Scope:
        return scope_of(self.request.user, self.request.auth)


class PilotStatusView(StatusView):
    @extend_schema(
        operation_id="pilot_status_fast",
        responses={
            200: StatusAnswerSerializer,
            304: OpenApiResponse(description="Unchanged since the ETag sent in If-None-Match"),
            401: OpenApiResponse(description="No valid token"),
            403: OpenApiResponse(description="Refused"),
            404: OpenApiResponse(description="No pilot you can see has this id"),
        },
        description=(
            "Read this before every model call (a kill-switch token may). Answers from a cache "
            "refreshed when the status changes; send If-None-Match with the last ETag."
        ),
    )
    def get(self, request, pk: int):
        return pilot_answer(request, self.scope(), pk)


class BulkStatusView(StatusView):
    @extend_schema(
        operation_id="pilot_status_bulk",
        parameters=[
            OpenApiParameter(
                "ids", str, description="Pilot ids, comma-separated; leave out for every pilot."
            )
        ],
        responses={
            200: BulkStatusSerializer,
            304: OpenApiResponse(description="Unchanged since the ETag sent in If-None-Match"),
            400: OpenApiResponse(description="Bad ids"),
            401: OpenApiResponse(description="No valid token"),
            403: OpenApiResponse(description="Refused"),
        },
        description=(
            "Many pilots' status in one answer, for gateways that guard many pilots. Ids the "
            "caller cannot see are left out."
        ),
    )
    def get(self, request):
        return bulk_answer(request, self.scope())


pilot_status = status_endpoint(PilotStatusView)(pilot_answer)
bulk_status = status_endpoint(BulkStatusView)(bulk_answer)
