"""Kill-switch tokens: status-only credentials for gateways, which can read status and nothing else."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property


class StatusToken(models.Model):
    """A token that reads the status of named pilots (or every pilot) and is refused elsewhere.

    Stored hashed like knox's tokens; the plain token (`pdks_…`) is shown once when issued."""

    token_key = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=128, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="status_tokens"
    )
    name = models.CharField(max_length=100, help_text="Which gateway holds it.")
    pilot_ids = models.JSONField(default=list, blank=True, help_text="Pilots it may read.")
    every_pilot = models.BooleanField(
        default=False, help_text="Reads every pilot (only for people who see every pilot)."
    )
    created = models.DateTimeField(auto_now_add=True)
    expiry = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    @cached_property
    def readable_ids(self) -> frozenset[int]:
        """`pilot_ids` as a set, made once per verified token (see killswitch.authentication)."""
        return frozenset(self.pilot_ids)
