"""The leadership view over REST, for the same people as the page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from support.api.views import OneAnswerSchema

from .. import access, selectors
from .serializers import LeadershipSerializer


class LeadershipViewSet(viewsets.GenericViewSet):
    """The portfolio for leaders: readiness and what blocks it, time saved against full cost per
    week, revision rates, repeat failures, escalated data concerns, time to resolve by category
    and approved use cases — for administrators, finance and the Leadership lane."""

    serializer_class = LeadershipSerializer
    pagination_class = None
    filter_backends = []
    schema = OneAnswerSchema()

    @extend_schema(
        responses={
            200: LeadershipSerializer,
            403: OpenApiResponse(description="Not an administrator, finance or Leadership lane"),
        }
    )
    def list(self, request):
        if not access.may_view(request.user):
            raise PermissionDenied(access.MAY_NOT_VIEW)
        return Response(self.get_serializer(selectors.dashboard(user=request.user)).data)
