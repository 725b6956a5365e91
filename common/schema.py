"""The OpenAPI schema documents every status an operation can answer, not only its success.

drf-spectacular documents what a view declares; the answers every view shares are added here from
what the view is: 401 and 429 for any operation behind authentication and throttles, 400 for a
write or a filtered list, 403 for a write, 404 for an object in the path (or a page past the last),
412 for a write to a versioned object (ETag / If-Match, see common.api.VersionedMixin), 415 for a
body in a content type the operation does not take. What a view documents itself (with
`extend_schema(responses=…)`) is kept as it is.

It is the API's default schema class (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]), so a view added
without one is documented the same way. The 400 and 403 of a write are the project's generic
views' (a payload read through a serializer, a role checked before it): a plain APIView, such as
knox's token login and logout, answers neither and documents what it does answer itself.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from common.api import VersionedMixin

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANSWERS = {
    "400": "Field errors: each field (or `non_field_errors`) with its messages",
    "401": "No credentials, or a token that is wrong, expired or revoked",
    "403": "Signed in, but your role does not allow this",
    "404": "Not found, or not visible to you; for a list, a page past the last one",
    "412": "If-Match names a version that is no longer current: GET the object again",
    "415": "The body is not in one of the content types documented for this operation",
    "429": "Too many requests: wait the number of seconds in Retry-After",
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of the version you edited; a newer one answers 412 instead of "
    "overwriting it.",
}


class DocumentedAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        versioned = (
            isinstance(self.view, VersionedMixin) and self.method in WRITES and "{" in self.path
        )
        if versioned and not any(p.get("name") == "If-Match" for p in parameters):
            operation["parameters"] = [*parameters, IF_MATCH]
        responses = operation["responses"]
        codes = self._shared_answers(parameters, versioned)
        if "requestBody" in operation:
            codes.append("415")
        for code in codes:
            responses.setdefault(code, {"description": ANSWERS[code]})
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _shared_answers(self, parameters, versioned: bool) -> list[str]:
        codes = []
        write = self.method in WRITES and isinstance(self.view, GenericAPIView)
        in_query = any(parameter.get("in") == "query" for parameter in parameters)
        if write or (in_query and self._has_filters(parameters)):
            codes.append("400")
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes.append("401")
        if write:
            codes.append("403")
        paginated = self._is_list_view() and self._get_paginator() is not None
        if "{" in self.path or paginated:
            codes.append("404")
        if versioned:
            codes.append("412")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _has_filters(self, parameters) -> bool:
        """Query parameters other than paging and ordering, which never answer 400."""
        return any(
            parameter.get("in") == "query"
            and parameter.get("name") not in {"page", "page_size", "ordering"}
            for parameter in parameters
        )
