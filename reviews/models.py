"""Weekly review samples and the error log.

A review week belongs to a pilot and an ISO week (stored as its Monday); samples are the AI outputs a
reviewer checked that week. Error entries are the shared error log: severity drives action, the
category routes an entry to the owner who must act, and the failure mode lets repeats be matched.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from pilots.models import Pilot, PilotRole

from .weeks import week_label

MINUTES = {
    "max_digits": 6,
    "decimal_places": 1,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1440"))],
}


class FailureMode(TimeStampedModel):
    """One tag of a pilot's failure-mode vocabulary ("wrong-delivery-date"), so repeats match."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="failure_modes")
    slug = models.SlugField(max_length=60)
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "slug"], name="one_failure_mode_per_slug")
        ]

    def __str__(self) -> str:
        return self.label


class ReviewWeek(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="review_weeks")
    week_start = models.DateField(help_text="The Monday of the ISO week.")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_size = models.PositiveSmallIntegerField(
        "target sample size", validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    notes = models.TextField("meeting notes", blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField("what the team decided", blank=True)
    next_change = models.ForeignKey(
        "governance.Change",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="the one change to test next",
    )
    below_target_reason = models.TextField("why the sample is below target", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-week_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "week_start"], name="one_review_week_per_week"
            ),
            models.CheckConstraint(
                condition=Q(week_start__iso_week_day=1), name="review_week_starts_on_monday"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="closed_review_week_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pilot} · {self.iso_week}"

    @property
    def iso_week(self) -> str:
        return week_label(self.week_start)

    @property
    def week_end(self):
        return self.week_start + timedelta(days=6)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Sample(TimeStampedModel):
    """One AI output a reviewer checked, next to the manual process it replaces."""

    class Case(models.TextChoices):
        EASY = "easy", "Easy"
        MESSY = "messy", "Messy"

    class Outcome(models.TextChoices):
        SENT_AS_IS = "sent_as_is", "Sent as-is"
        MINOR_EDIT = "minor_edit", "Minor edit"
        MAJOR_REWRITE = "major_rewrite", "Major rewrite"
        DISCARDED = "discarded", "Discarded"

    CORRECTED = (Outcome.MINOR_EDIT, Outcome.MAJOR_REWRITE)
    SCORES = ("accuracy", "tone", "completeness")

    week = models.ForeignKey(ReviewWeek, on_delete=models.CASCADE, related_name="samples")
    # Denormalised from the week so cross-pilot figures and scoping need no join.
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="review_samples")
    reference = models.CharField(max_length=300, help_text="Ticket id or link.")
    produced_on = models.DateField("day produced")
    produced_by = models.CharField(
        "produced by", max_length=120, help_text="The person who used the AI for this output."
    )
    case = models.CharField(max_length=8, choices=Case.choices, default=Case.EASY)
    accuracy_ok = models.BooleanField("accuracy passes", default=True)
    accuracy_note = models.CharField("why accuracy fails", max_length=200, blank=True)
    tone_ok = models.BooleanField("tone passes", default=True)
    tone_note = models.CharField("why tone fails", max_length=200, blank=True)
    completeness_ok = models.BooleanField(
        "completeness passes",
        default=True,
        help_text="Missing facts (a refund rule, a deadline) fail.",
    )
    completeness_note = models.CharField("why completeness fails", max_length=200, blank=True)
    should_have_gone_to_human = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    minutes_with_ai = models.DecimalField("minutes with AI", **MINUTES)
    manual_minutes = models.DecimalField("minutes the manual process takes", **MINUTES)
    complaint = models.BooleanField("complaint or reopen", default=False)
    note = models.TextField(blank=True)
    error = models.ForeignKey(
        "ErrorEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="samples"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["week", "-created_at"]),
            models.Index(fields=["pilot", "produced_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_with_ai__gte=0) & Q(manual_minutes__gte=0),
                name="sample_minutes_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_failure(self) -> bool:
        return not (self.accuracy_ok and self.tone_ok and self.completeness_ok)

    @property
    def minutes_saved(self) -> Decimal:
        return self.manual_minutes - self.minutes_with_ai

    @property
    def failures(self) -> list[tuple[str, str]]:
        """[('completeness', 'left out the 30-day return rule'), …] for the scores that failed."""
        return [
            (score, getattr(self, f"{score}_note"))
            for score in self.SCORES
            if not getattr(self, f"{score}_ok")
        ]


def failing_sample_q(prefix: str = "") -> Q:
    """The samples with any failing score: the numerator of the error rate."""
    return (
        Q(**{f"{prefix}accuracy_ok": False})
        | Q(**{f"{prefix}tone_ok": False})
        | Q(**{f"{prefix}completeness_ok": False})
    )


class ErrorEntry(TimeStampedModel):
    """One entry of the shared error log: what happened, how serious, who must act, and the fix."""

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        STOP_NOW = "stop_now", "Stop now"

    SEVERITY_MEANING = {
        Severity.LOW: "Clumsy, off-brand or missing detail, but no real harm: log it.",
        Severity.MEDIUM: (
            "Could confuse a customer, create rework or send the team the wrong way: "
            "a human checks before anything goes out."
        ),
        Severity.STOP_NOW: (
            "Could expose private data, invent facts, break a policy or create legal or financial "
            "risk: immediate handoff, the task stops and the pilot is paused."
        ),
    }
    SERIOUS = (Severity.MEDIUM, Severity.STOP_NOW)

    class Frequency(models.TextChoices):
        ONCE = "once", "Seen once"
        SOMETIMES = "sometimes", "A few times a week"
        OFTEN = "often", "Every day"

    class Category(models.TextChoices):
        USER_GUIDANCE = "user_guidance", "User guidance"
        TECHNICAL_ISSUE = "technical_issue", "Technical issue"
        DATA_HANDLING = "data_handling", "Data handling"
        SECURITY_INCIDENT = "security_incident", "Security incident"
        WORKFLOW_FAILURE = "workflow_failure", "Workflow failure"
        NEW_USE_CASE = "new_use_case", "New use case request"
        OUTPUT_QUALITY = "output_quality", "Output quality"
        COMPLIANCE_REVIEW = "compliance_review", "Compliance review"

    Kind = PilotRole.Kind
    # Who must act on each category: the first of these roles the pilot has filled.
    ROUTES = {
        Category.DATA_HANDLING: (Kind.LANE_SECURITY, Kind.STOP_AUTHORITY),
        Category.SECURITY_INCIDENT: (Kind.LANE_SECURITY, Kind.STOP_AUTHORITY),
        Category.WORKFLOW_FAILURE: (Kind.TECHNICAL_OWNER,),
        Category.TECHNICAL_ISSUE: (Kind.TECHNICAL_OWNER,),
        Category.OUTPUT_QUALITY: (Kind.BUSINESS_OWNER,),
        Category.USER_GUIDANCE: (Kind.BUSINESS_OWNER,),
        Category.COMPLIANCE_REVIEW: (Kind.LANE_SECURITY, Kind.BUSINESS_OWNER),
        Category.NEW_USE_CASE: (Kind.BUSINESS_OWNER,),
    }

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    class FixKind(models.TextChoices):
        PROMPT_CHANGE = "prompt_change", "Prompt change"
        NEW_RULE = "new_rule", "New rule"
        EXTRA_REVIEW = "extra_review", "Extra human review"
        REMOVED_SOURCE = "removed_source", "Removed data source"
        BLOCKED_TASK = "blocked_task", "Blocked task"

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="error_entries")
    what_went_wrong = models.TextField("what went wrong")
    reference = models.CharField(max_length=300, blank=True, help_text="Ticket id or link.")
    task_asked = models.TextField("what the AI was asked", blank=True)
    output = models.TextField("what it produced", blank=True)
    why_wrong = models.TextField("why it was wrong", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    caught_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="who caught it",
    )
    occurred_on = models.DateField("when", default=timezone.localdate)
    frequency = models.CharField(
        "how often it happens", max_length=12, choices=Frequency.choices, blank=True
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True, db_index=True)
    failure_mode = models.ForeignKey(
        FailureMode, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    routed_role = models.CharField(max_length=24, choices=PilotRole.Kind.choices, blank=True)
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    paused_pilot = models.BooleanField(
        default=False, help_text="This entry paused the pilot (a stop-now entry on a live pilot)."
    )
    fix_kind = models.CharField("fix", max_length=16, choices=FixKind.choices, blank=True)
    fix_description = models.TextField("what the fix does", blank=True)
    fix_date = models.DateField("fixed on", null=True, blank=True)
    fix_change = models.ForeignKey(
        "governance.Change",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="change-log entry",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "error entries"
        indexes = [
            models.Index(fields=["pilot", "status", "severity"]),
            models.Index(fields=["pilot", "failure_mode"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(resolved_at__isnull=False),
                name="resolved_error_has_resolved_at",
            ),
            models.CheckConstraint(
                condition=~Q(repeat_of=models.F("id")), name="error_not_repeat_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}: {self.what_went_wrong[:60]}"

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None

    @property
    def is_serious_repeat(self) -> bool:
        return self.is_repeat and self.severity in self.SERIOUS

    @property
    def needs_human_check(self) -> bool:
        return self.severity == self.Severity.MEDIUM

    @property
    def has_fix(self) -> bool:
        return bool(self.fix_kind)

    @property
    def severity_meaning(self) -> str:
        return self.SEVERITY_MEANING.get(self.severity, "")


def serious_repeat_q() -> Q:
    return Q(
        repeat_of__isnull=False, severity__in=ErrorEntry.SERIOUS, status=ErrorEntry.Status.OPEN
    )


# The review queue's models live in their own module (this one holds the manual review's).
from .queue_models import PoolCandidate, QueueItem, WeekDraw  # noqa: E402

__all__ = [
    "ErrorEntry",
    "FailureMode",
    "PoolCandidate",
    "QueueItem",
    "ReviewWeek",
    "Sample",
    "WeekDraw",
    "failing_sample_q",
    "serious_repeat_q",
]
