"""A kill-switch token is refused (403) on every endpoint but the status ones."""

from django.http import JsonResponse

from .authentication import presented_status_token

STATUS_PATHS = ("/api/pilot-status", "/ofrep/")


class StatusOnlyTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(STATUS_PATHS) and presented_status_token(request):
            return JsonResponse(
                {"detail": "A kill-switch token reads pilot status only."}, status=403
            )
        return self.get_response(request)
