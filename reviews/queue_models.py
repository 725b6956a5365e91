"""The review queue over live traffic: the bounded pool of task texts kept at ingest, the week's
recorded draw from it, and the items reviewers score one at a time (reviews.pool,
reviews.services.draw, reviews.services.queue)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from common.models import TimeStampedModel
from pilots.models import Pilot


class PoolCandidate(models.Model):
    """The text of one task kept for review: at most PILOTDECK_POOL_PER_DAY per pilot and day, so
    storage grows with pilots × days, never with traffic. The task itself is the traffic record
    with the same (pilot, source id, start time)."""

    class Messy(models.TextChoices):
        HANDED_OFF = "handed_off", "handed off to a person"
        FAILED = "failed", "failed"
        RETRIED = "retried", "retried on another model"
        LONG_INPUT = "long_input", "unusually long input"
        REPORTED = "reported", "reported by a user"

    # No index of its own: the unique key begins with the pilot and serves its lookups.
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    source_id = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    user_ref = models.CharField("employee", max_length=254, blank=True)
    team = models.CharField(max_length=120, blank=True)
    task_type = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(max_length=12)
    messy = models.JSONField(default=list, blank=True)  # Messy values, in that order
    input_tokens = models.PositiveIntegerField(default=0)
    people_seconds = models.PositiveIntegerField(null=True, blank=True)
    input_text = models.TextField(blank=True)
    output_text = models.TextField(blank=True)
    # A stable pseudo-random key from the task's identity: which tasks a full day keeps depends
    # on the tasks, not on the order batches arrive in.
    rank = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "source_id", "started_at"], name="pool_task_once"
            )
        ]
        indexes = [models.Index(fields=["pilot", "day"])]

    def __str__(self) -> str:
        return f"{self.source_id} on {self.day}"

    @property
    def is_messy(self) -> bool:
        return bool(self.messy)

    @property
    def messy_labels(self) -> list[str]:
        labels = dict(self.Messy.choices)
        return [labels.get(reason, reason) for reason in self.messy]


class WeekDraw(TimeStampedModel):
    """How a week's sample was chosen: the seed, the pool period and the strata, so anyone can see
    it and draw it again identically."""

    week = models.OneToOneField("reviews.ReviewWeek", on_delete=models.CASCADE, related_name="draw")
    seed = models.BigIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    strata = models.JSONField(default=dict)
    gaps = models.JSONField(default=list)  # sentences: why the sample cannot cover what it should
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"draw of {self.week} (seed {self.seed})"


class QueueItem(models.Model):
    """One drawn task to score. An item drawn for agreement has a second pass for another reviewer;
    the first pass scored becomes the week's sample, the other only records its scores."""

    class Status(models.TextChoices):
        PENDING = "pending", "To review"
        SCORED = "scored", "Scored"
        SKIPPED = "skipped", "Skipped"

    # Its indexes: the unique key and (week, status) both begin with the week; the people and the
    # sample are indexed only where set, so a draw's new items touch four indexes, not eight.
    week = models.ForeignKey(
        "reviews.ReviewWeek", on_delete=models.CASCADE, related_name="queue_items", db_index=False
    )
    # A drawn task's text is never evicted from the pool (reviews.pool leaves it), so nothing
    # happens here on delete and the pool's evictions stay one plain DELETE.
    candidate = models.ForeignKey(
        PoolCandidate, on_delete=models.DO_NOTHING, null=True, related_name="queue_items"
    )
    reference = models.CharField(max_length=300)  # the task's source id, kept if the text goes
    position = models.PositiveSmallIntegerField()
    pass_number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    leased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    lease_until = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(null=True, blank=True)
    skip_reason = models.CharField(max_length=300, blank=True)
    accuracy_ok = models.BooleanField(null=True)
    tone_ok = models.BooleanField(null=True)
    completeness_ok = models.BooleanField(null=True)
    should_have_gone_to_human = models.BooleanField(null=True)
    outcome = models.CharField(max_length=16, blank=True)
    sample = models.ForeignKey(
        "reviews.Sample",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["position", "pass_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "position", "pass_number"], name="one_queue_item_per_pass"
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""),
                name="skipped_queue_item_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["week", "status"]),
            *(
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"queue_{name}"
                )
                for name in ("leased_by", "scored_by", "sample")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} (pass {self.pass_number})"
