"""Object permissions for the pilots API, checked in `get_object()` before any payload is read,
so a read-only role gets 403 whatever it sends (never a 400 that echoes field rules)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from pilots import access
from pilots.models import Pilot


class PilotWrites(BasePermission):
    message = "Your role on this pilot does not allow this change."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        pilot = obj if isinstance(obj, Pilot) else obj.pilot
        if getattr(view, "action", None) == "status":
            return access.can_edit(request.user, pilot) or access.can_stop(request.user, pilot)
        return access.can_edit(request.user, pilot)


PILOT_PERMISSIONS = [IsAuthenticated, PilotWrites]
