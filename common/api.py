"""What every API view shares: pagination and the one exception handler."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import ApplicationError, StaleEdit
from common.errors import PermissionDenied as DomainPermissionDenied
from common.versions import last_editor, version_of

# The error answers every write endpoint documents (the schema adds 401/412/415/429 itself).
ERRORS = {
    400: OpenApiResponse(description="Field errors"),
    403: OpenApiResponse(description="No right to do this"),
    404: OpenApiResponse(description="Not found, or not visible to you"),
}


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def _django_validation_detail(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it."
    default_code = "stale"


class VersionedMixin:
    """ETag on single-object answers; a write with a stale If-Match answers 412, not a lost update.

    Views pass `self.expected_version()` to the service, which compares it under the row lock.
    """

    version_source = None

    def expected_version(self) -> str | None:
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return None
        return header.removeprefix("W/").strip('"')

    def get_object(self):
        obj = super().get_object()
        expected = (
            self.expected_version()
            if self.request.method not in ("GET", "HEAD", "OPTIONS")
            else None
        )
        if expected and expected != version_of(obj):
            raise PreconditionFailed(
                f"Changed by {last_editor(obj)} since you read it: GET it again."
            )
        self.version_source = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.version_source is not None and response.status_code < 300:
            response["ETag"] = f'"{version_of(self.version_source)}"'
        return response


def encodable(value):
    """Error messages echo what was sent; a lone surrogate (valid in JSON text as an escape, never
    in UTF-8) would make the answer itself fail to encode, so it is shown escaped instead."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode()
        return value
    if isinstance(value, dict):
        return {key: encodable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encodable(item) for item in value]
    return value


def exception_handler(exc, context):
    """Translate domain errors once: a 400 with field errors, 403 for refused actions, 412 when stale."""
    response = _translate(exc, context)
    if response is not None:
        response.data = encodable(response.data)
    return response


def _translate(exc, context):
    if isinstance(exc, StaleEdit):
        return Response(
            {"detail": exc.message, "changed_by": exc.changed_by, "changed_at": exc.changed_at},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, DomainPermissionDenied):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, ApplicationError):
        detail = dict(exc.field_errors) or {"non_field_errors": [exc.message]}
        if exc.field_errors:
            detail.setdefault("non_field_errors", [exc.message])
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoValidationError):
        return Response(_django_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
