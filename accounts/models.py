"""Who someone is at the company's identity provider: the provider's subject, linked to one person.

A person signs in through the provider by this link, so a changed e-mail address at the provider
follows the same person, and an e-mail address alone never decides who someone is after the first
sign-in.
"""

from django.conf import settings
from django.db import models

from common.models import TimeStampedModel


class ProviderIdentity(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_identities"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)

    class Meta:
        verbose_name_plural = "provider identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="provider_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
