"""Who may write the company guardrails over the API, checked before any payload is read."""

from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from .. import access


class ManagesRegister(BasePermission):
    message = "Only administrators and the Security lane maintain the company guardrails."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or access.may_manage_register(request.user)


class ManagesLanes(BasePermission):
    message = "Only administrators change the company lanes and escalation paths."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or access.may_manage_lanes(request.user)


REGISTER_PERMISSIONS = [IsAuthenticated, ManagesRegister]
LANE_PERMISSIONS = [IsAuthenticated, ManagesLanes]
