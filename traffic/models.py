"""Live traffic: one row per AI task a pilot ran, as the gateway or the instrumented application
reports it, and the daily rollups every page and rule reads.

`TaskRecord` is partitioned by month on PostgreSQL (migration 0002; `traffic.partitions` creates
and drops partitions). Its unique key is (pilot, source id, start time): a partitioned table's
unique keys must hold the partition key, and a retry carries the same start time, so a retried
task never counts twice. Pages read `TaskDay`, kept in step at ingest, never the records.
"""

from django.db import models
from django.utils import timezone

from common.models import TimeStampedModel
from pilots.models import Pilot


class Outcome(models.TextChoices):
    COMPLETED = "completed", "Completed"
    HANDED_OFF = "handed_off", "Handed off to a person"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped by a skip-AI rule"


class Origin(models.TextChoices):
    NATIVE = "native", "Pilotdeck API"
    LITELLM = "litellm", "LiteLLM"
    OTLP = "otlp", "OpenTelemetry"


class TaskRecord(models.Model):
    # Keyed by what makes a task once per pilot (a retry inserts nothing), which holds the
    # partition key as PostgreSQL wants: one index a record, no id nor sequence (migration 0006).
    pk = models.CompositePrimaryKey("pilot", "source_id", "started_at")
    # No database cascade from Django: on PostgreSQL a trigger on the pilots deletes a deleted
    # pilot's records (migration 0005), so deleting a pilot never loads its millions of tasks.
    pilot = models.ForeignKey(
        Pilot, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices)
    source_id = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    user_ref = models.CharField("employee", max_length=254, blank=True)
    team = models.CharField(max_length=120, blank=True)
    task_type = models.CharField(max_length=60, blank=True)
    model_requested = models.CharField(max_length=120, blank=True)
    model_served = models.CharField(max_length=120, blank=True)
    prompt_version = models.CharField(max_length=120, blank=True)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    api_cost = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    handoff_reason = models.CharField(max_length=300, blank=True)
    trace_url = models.CharField(max_length=500, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    people_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Handling or editing time people spent, when reported."
    )

    def __str__(self) -> str:
        return f"{self.source_id} ({self.get_outcome_display().lower()})"


class TaskDay(models.Model):
    """The rollup every figure reads: one row per pilot, day, task type, team and served model."""

    # No index of its own: the unique key begins with the pilot and serves its lookups.
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    task_type = models.CharField(max_length=60, blank=True)
    team = models.CharField(max_length=120, blank=True)
    model = models.CharField(max_length=120, blank=True)
    tasks = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    handed_off = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    input_tokens = models.BigIntegerField(default=0)
    output_tokens = models.BigIntegerField(default=0)
    api_cost = models.DecimalField(max_digits=16, decimal_places=6, default=0)
    latency_ms_total = models.BigIntegerField(default=0)
    # Latency histogram: {bucket: count}, buckets 10 % wide (traffic.latency) — percentiles to ±5 %.
    latency_buckets = models.JSONField(default=dict)
    handoff_reasons = models.JSONField(default=dict)
    people_seconds = models.BigIntegerField(default=0)
    # Handoffs a person picked up (PATCH by source id), on the day the task ran: how many, their
    # summed wait, and the waits as a histogram in milliseconds (traffic.latency buckets).
    # `picked_up_late`: later than the handoff rule's response time when the pick-up came in.
    picked_up = models.PositiveIntegerField(default=0)
    picked_up_late = models.PositiveIntegerField(default=0)
    pickup_seconds_total = models.BigIntegerField(default=0)
    pickup_buckets = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "day", "task_type", "team", "model"], name="one_task_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.day} {self.task_type or 'all'}: {self.tasks}"


class TaskUserDay(models.Model):
    """Who used the pilot on a day (bounded by employees × days): active users by team. One row
    says the employee used it that day, not how often (nothing reads a count, and keeping one
    wrote the row again on every batch)."""

    # Keyed by the pilot, day, team and user: one index (migration 0006), which serves the
    # lookups by pilot. No foreign key in the database: an ingest locks its pilots once per
    # batch instead (migration 0005).
    pk = models.CompositePrimaryKey("pilot", "day", "team", "user_ref")
    pilot = models.ForeignKey(
        Pilot, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    day = models.DateField()
    team = models.CharField(max_length=120, blank=True)
    user_ref = models.CharField(max_length=254)

    def __str__(self) -> str:
        return f"{self.user_ref} on {self.day}"


class SourceLink(TimeStampedModel):
    """How traffic that does not name its pilot finds it: a LiteLLM key alias or team, or an
    OpenTelemetry `service.name`, mapped to one pilot."""

    class Kind(models.TextChoices):
        LITELLM_KEY = "litellm_key", "LiteLLM key alias"
        LITELLM_TEAM = "litellm_team", "LiteLLM team"
        OTEL_SERVICE = "otel_service", "OpenTelemetry service.name"

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="source_links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="one_pilot_per_source_name")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} → {self.pilot_id}"


class Connection(models.Model):
    """What a pilot's traffic looks like per origin: when it last arrived, what was refused."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(max_length=12, choices=Origin.choices)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    received = models.BigIntegerField(default=0)
    refused = models.BigIntegerField(default=0)
    last_errors = models.JSONField(default=list)  # the newest ten: {"at", "source_id", "errors"}
    # What actually runs: {"prompt": {version: last seen day}, "model": {served model: day}},
    # the newest few of each (traffic.services.versions); the drift rule reads it.
    versions_seen = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pilot", "origin"], name="one_connection_per_origin")
        ]

    def __str__(self) -> str:
        return f"{self.pilot_id} via {self.origin}"


class ModelPrice(TimeStampedModel):
    """Input and output price per million tokens of a model, from a day on: a record that sends
    no cost is priced with the price in force on its day."""

    model = models.CharField(max_length=120)
    effective_from = models.DateField()
    input_per_million = models.DecimalField(max_digits=12, decimal_places=4)
    output_per_million = models.DecimalField(max_digits=12, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "effective_from"], name="one_price_per_day")
        ]
        ordering = ["model", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.model} from {self.effective_from}"
