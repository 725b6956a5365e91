"""Seeding the test provider's people over HTTP (the test process cannot reach its database)."""

import json
import os

from django.contrib.auth import get_user_model
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Claims


@csrf_exempt
@require_POST
def seed_person(request):
    if request.headers.get("X-Seed-Token") != os.environ["OIDC_PROVIDER_SEED_TOKEN"]:
        return HttpResponseForbidden()
    body = json.loads(request.body)
    user, _ = get_user_model().objects.get_or_create(username=body["username"])
    user.email = body["email"]
    user.first_name, user.last_name = body.get("first_name", ""), body.get("last_name", "")
    user.set_password(body["password"])
    user.save()
    Claims.objects.update_or_create(
        user=user,
        defaults={"email_verified": body.get("email_verified", True), "groups": body["groups"]},
    )
    return JsonResponse({"sub": str(user.pk)})
