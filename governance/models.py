"""Decision rights and the change log: who may decide what, and every change with its hypothesis."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from pilots.models import Pilot


class DecisionRight(TimeStampedModel):
    class Kind(models.TextChoices):
        MODEL_CHOICE = "model_choice", "Model choice"
        PROMPT_CHANGES = "prompt_changes", "Prompt changes"
        TOOL_ACCESS = "tool_access", "Tool access"
        DATA_ACCESS = "data_access", "Data access and new data sources"
        APPROVAL_RULES = "approval_rules", "Approval rules"
        POLICY_UPDATES = "policy_updates", "Policy updates"
        HIGHER_USAGE = "higher_usage", "Higher-usage approval"
        FINAL_SIGNOFF = "final_signoff", "Final sign-off"

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="decision_rights")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pilot", "kind"], name="one_owner_per_decision_right"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("backup")),
                name="decision_backup_differs_from_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.pilot}"


class Change(TimeStampedModel):
    """One change to a pilot: what, why (the hypothesis), who asked and approved, when it went live."""

    class Kind(models.TextChoices):
        PROMPT = "prompt", "Prompt change"
        MODEL = "model", "Model change"
        TOOL_ACCESS = "tool_access", "Tool access"
        DATA_SOURCE = "data_source", "Data source"
        POLICY = "policy", "Policy update"
        APPROVAL_RULE = "approval_rule", "Approval rule"
        USAGE = "usage", "Higher usage"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        LIVE = "live", "Live"
        CLOSED = "closed", "Outcome recorded"

    class Verdict(models.TextChoices):
        KEPT = "kept", "Kept: it worked"
        REVERTED = "reverted", "Reverted: it did not work"
        INCONCLUSIVE = "inconclusive", "Inconclusive: test another week"

    # The decision right whose owner must approve each kind of change.
    RIGHT_FOR_KIND = {
        Kind.PROMPT: DecisionRight.Kind.PROMPT_CHANGES,
        Kind.MODEL: DecisionRight.Kind.MODEL_CHOICE,
        Kind.TOOL_ACCESS: DecisionRight.Kind.TOOL_ACCESS,
        Kind.DATA_SOURCE: DecisionRight.Kind.DATA_ACCESS,
        Kind.POLICY: DecisionRight.Kind.POLICY_UPDATES,
        Kind.APPROVAL_RULE: DecisionRight.Kind.APPROVAL_RULES,
        Kind.USAGE: DecisionRight.Kind.HIGHER_USAGE,
    }

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField("what changes", max_length=200)
    hypothesis = models.TextField("why: what we expect to improve")
    new_value = models.CharField(
        "new version or value",
        max_length=120,
        blank=True,
        help_text="For a prompt or model change: the version that goes live (updates the setup).",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    live_at = models.DateTimeField(null=True, blank=True, db_index=True)
    review_week = models.CharField(
        "review week that tests it", max_length=8, blank=True, help_text="ISO week, e.g. 2026-W48."
    )
    outcome = models.TextField(blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pilot", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def decision_right_kind(self) -> str:
        return self.RIGHT_FOR_KIND[self.kind]


class RuleSettings(TimeStampedModel):
    """Per-pilot configuration of the stop rules; a pilot without a row uses the defaults."""

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="rule_settings")
    review_grace_days = models.PositiveSmallIntegerField(
        "days of grace after the review cadence", default=2, validators=[MaxValueValidator(30)]
    )
    rising_weeks = models.PositiveSmallIntegerField(
        "weeks of rising correction rate or review time before an alert",
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(12)],
    )
    max_live_changes_per_week = models.PositiveSmallIntegerField(
        "changes allowed live per week",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    max_failure_percent = models.PositiveSmallIntegerField(
        "failure rate allowed (% of last week's tasks)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Above it, from the pilot's traffic, the technical owner and stop authority hear.",
    )
    disabled_rules = models.JSONField("rules switched off", default=list, blank=True)
    webhook_url = models.URLField(
        "alert webhook (chat-compatible JSON)",
        blank=True,
        help_text="Overrides the company-wide webhook.",
    )
    webhook_secret = models.CharField(
        max_length=200, blank=True, help_text="Signs the webhook body with HMAC-SHA256."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self) -> str:
        return f"Rule settings of {self.pilot}"


class Alert(models.Model):
    """A rule breach: stored once per (pilot, rule, period), shown on the pilot and the dashboard."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(max_length=64)
    period = models.CharField(max_length=64)
    dedupe_key = models.CharField(max_length=200, unique=True)
    message = models.TextField()
    next_step = models.TextField()
    figures = models.JSONField(default=dict)
    paused_pilot = models.BooleanField(default=False)
    blocks_expansion = models.BooleanField(default=False)
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["pilot", "-raised_at"])]

    def __str__(self) -> str:
        return f"{self.rule} on {self.pilot_id} ({self.period})"


class AlertDelivery(models.Model):
    """One e-mail or webhook post of an alert; failures retry with backoff and stay visible."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, retrying"
        GAVE_UP = "gave_up", "Failed, gave up"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    target = models.CharField(max_length=500)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "channel", "target"], name="one_delivery_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.target}: {self.status}"
