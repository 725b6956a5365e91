"""Decision rights and the change log: who may decide what, and every change with its hypothesis."""

from django.conf import settings
from django.db import models
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
