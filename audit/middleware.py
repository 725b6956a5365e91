"""Records every permission denial (403), in the browser and the API, in the audit trail."""

from .models import AuditEvent
from .services import audit_record


class DenialAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            on_a_pilot = request.path.startswith(("/pilots/", "/api/pilots/"))
            pilot_id = match.kwargs.get("pk") if match and on_a_pilot else None
            audit_record(
                kind=AuditEvent.Kind.DENIED,
                user=user,
                pilot_id=int(pilot_id) if str(pilot_id or "").isdigit() else None,
                summary=f"{request.method} {request.path}"[:300],
                request=request,
            )
        return response
