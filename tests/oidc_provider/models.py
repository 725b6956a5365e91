"""What the test provider says about each person besides Django's user: e-mail verified, groups."""

from django.conf import settings
from django.db import models


class Claims(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    email_verified = models.BooleanField(default=True)
    groups = models.JSONField(default=list)

    class Meta:
        app_label = "oidc_provider"

    def __str__(self) -> str:
        return f"claims of {self.user_id}"
