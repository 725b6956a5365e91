"""The floor the status answer is measured against: a constant JSON answer from a plain Django
view, through the same middleware on the same gunicorn server, with no token and no cache."""

from django.http import JsonResponse

# As large as a status answer, so the floor writes as many bytes.
CONSTANT = {
    "id": 1,
    "status": "piloting",
    "since": "2026-01-05T09:00:00+00:00",
    "reason": "Started.",
    "paused": False,
    "may_call_model": True,
}


def constant(request):
    return JsonResponse(CONSTANT)
