from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PendingEvaluation(models.Model):
    """An outbox row: a write asked for its pilot's rules to be evaluated.

    Written in the same transaction as the write, so the request survives a broker that is down;
    the evaluation deletes it, and a drain every minute re-dispatches any that are left.
    """

    pilot_id = models.BigIntegerField(unique=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"evaluate pilot {self.pilot_id} (asked {self.requested_at:%H:%M:%S})"
