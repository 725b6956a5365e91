"""A pilot, its one-page operating model, its ownership matrix and its status history.

The ownership matrix lives here rather than in `governance` because every app's access control is
derived from it: the shared piece sits lower down, so apps depend one way.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel


def default_alert_thresholds() -> list[int]:
    return [50, 80, 100]


def validate_use_areas(value) -> None:
    if not isinstance(value, list) or any(area not in Pilot.UseArea.values for area in value):
        raise ValidationError(
            "Pick use areas from: " + ", ".join(label for _, label in Pilot.UseArea.choices) + "."
        )


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


EARLIEST_RECORD_DAYS = 365


class Pilot(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PILOTING = "piloting", "Piloting"
        EXPANDING = "expanding", "Expanding"
        SCALED = "scaled", "Scaled"
        PAUSED = "paused", "Paused"
        RETIRED = "retired", "Retired"

    class Fallback(models.TextChoices):
        HAND_TO_PERSON = "hand_to_person", "hand the task to a person"
        RETRY_SECOND_MODEL = "retry_second_model", "retry with a second model"
        STOP_WORKFLOW = "stop_workflow", "stop the workflow"

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "every week"
        FORTNIGHTLY = "fortnightly", "every two weeks"
        MONTHLY = "monthly", "every month"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"

    class UseArea(models.TextChoices):
        FINANCIAL = "financial", "Financial"
        LEGAL = "legal", "Legal"
        HR = "hr", "HR"
        CLIENT_FACING = "client_facing", "Client-facing"
        INTERNAL = "internal", "Internal"

    class ExpansionMetric(models.TextChoices):
        ERROR_RATE = "error_rate", "error rate (%) at most"
        CORRECTION_RATE = "correction_rate", "manual-correction rate (%) at most"
        COMPLAINTS = "complaints", "complaints per week at most"
        MINUTES_SAVED = "minutes_saved", "minutes saved per task at least"

    # Identity
    name = models.CharField(max_length=200)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="pilots"
    )
    summary = models.CharField(
        "the workflow in one sentence",
        max_length=300,
        blank=True,
        help_text="e.g. Draft first replies to routine support tickets using the help center and order data.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_since = models.DateTimeField(default=timezone.now)
    status_reason = models.TextField(blank=True)
    status_before_pause = models.CharField(max_length=16, choices=Status.choices, blank=True)

    # The job
    trigger = models.TextField("what starts it", blank=True)
    task_input = models.TextField("input", blank=True)
    task_output = models.TextField("output", blank=True)
    limits = models.TextField(blank=True)
    never_do = models.JSONField("never-do actions", default=list, blank=True)
    skip_ai_cases = models.JSONField("cases that skip AI", default=list, blank=True)
    override_cases = models.JSONField("override cases", default=list, blank=True)

    # Handoff rule
    handoff_conditions = models.TextField("when the AI hands off", blank=True)
    handoff_receiver = models.CharField("who receives it", max_length=200, blank=True)
    handoff_response_minutes = models.PositiveIntegerField(
        "response time (minutes)", null=True, blank=True, validators=[MinValueValidator(1)]
    )

    # Fallback path
    fallback_action = models.CharField(max_length=32, choices=Fallback.choices, blank=True)
    fallback_detail = models.TextField("fallback details", blank=True)

    # Setup
    model_name = models.CharField("model", max_length=120, blank=True)
    model_version = models.CharField(max_length=120, blank=True)
    prompt_version = models.CharField(max_length=120, blank=True)
    data_sources = models.JSONField(default=list, blank=True)
    tools = models.JSONField("tools it may use", default=list, blank=True)
    use_areas = models.JSONField(
        "use areas",
        default=list,
        blank=True,
        validators=[validate_use_areas],
        help_text="Where its output is used: financial, legal, HR or client-facing work, or internal.",
    )
    average_daily_volume = models.PositiveIntegerField(
        "average tasks per day", null=True, blank=True
    )

    # Review rhythm
    review_cadence = models.CharField(
        max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    review_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    review_sample_size = models.PositiveSmallIntegerField(
        "sample size", default=20, validators=[MinValueValidator(5), MaxValueValidator(500)]
    )
    next_review_date = models.DateField(null=True, blank=True, db_index=True)

    # Cost rules
    monthly_cap = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    alert_thresholds = models.JSONField(
        "spend alert thresholds (% of cap)", default=default_alert_thresholds, blank=True
    )
    cost_per_task_limit = models.DecimalField(
        "limit on full cost per completed task",
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    savings_stop_minutes = models.PositiveSmallIntegerField(
        "savings stop point (minutes per employee per day)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
    )
    one_more_team_multiplier = models.DecimalField(
        "volume with one more team (× today)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    busy_month_multiplier = models.DecimalField(
        "volume in a busy month (× today)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("1"))],
    )

    # Expansion rule
    expansion_metric = models.CharField(max_length=24, choices=ExpansionMetric.choices, blank=True)
    expansion_threshold = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    expansion_weeks = models.PositiveSmallIntegerField(
        "weeks it must hold",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )

    # Normal day / bad day drills
    drills_run_on = models.DateField("drills run on", null=True, blank=True)
    normal_day_walkthrough = models.TextField("normal day walk-through", blank=True)
    normal_day_agreed = models.BooleanField(
        "everyone agreed within five minutes (normal day)", null=True, blank=True
    )
    bad_day_scenarios = models.JSONField("bad-day scenarios tried", default=list, blank=True)
    bad_day_walkthrough = models.TextField("bad day walk-through", blank=True)
    bad_day_agreed = models.BooleanField(
        "everyone agreed within five minutes (bad day)", null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def expansion_target(self) -> str:
        """'the error rate stays at or below 5%' — the expansion rule's target in plain words."""
        if not self.expansion_metric or self.expansion_threshold is None:
            return ""
        value = f"{self.expansion_threshold.normalize():f}"
        return {
            self.ExpansionMetric.ERROR_RATE: f"the error rate stays at or below {value}%",
            self.ExpansionMetric.CORRECTION_RATE: f"the manual-correction rate stays at or below {value}%",
            self.ExpansionMetric.COMPLAINTS: f"complaints stay at or below {value} a week",
            self.ExpansionMetric.MINUTES_SAVED: f"each task saves at least {value} minutes after review",
        }[self.expansion_metric]

    @property
    def use_area_labels(self) -> list[str]:
        labels = dict(self.UseArea.choices)
        return [labels.get(area, area) for area in self.use_areas or []]

    @cached_property
    def earliest_record_day(self) -> date:
        """The oldest day a cost, a task count, a sample or an error may be dated: a year before
        the pilot was created (a pilot's records may begin before Pilotdeck held it, not in 1900).
        Kept for the instance's life: a batch of a thousand rows asks it a thousand times."""
        created = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        return created - timedelta(days=EARLIEST_RECORD_DAYS)

    def record_day_problem(self, day: date) -> str:
        """Why `day` cannot be a record's day for this pilot ("" when it can)."""
        earliest = self.earliest_record_day
        if day < earliest:
            return (
                f"That day is too early: record days from {earliest:%Y-%m-%d} on, at most a year "
                "before the pilot was created."
            )
        return ""

    @property
    def is_active(self) -> bool:
        return self.status not in {self.Status.PAUSED, self.Status.RETIRED}

    def clean(self):
        errors = {}
        thresholds = self.alert_thresholds or []
        if any(not isinstance(t, int) or not 1 <= t <= 200 for t in thresholds):
            errors["alert_thresholds"] = "Each threshold is a whole percent between 1 and 200."
        elif thresholds != sorted(set(thresholds)):
            errors["alert_thresholds"] = "List each threshold once, from lowest to highest."
        if self.expansion_metric and (self.expansion_threshold is None or not self.expansion_weeks):
            errors["expansion_threshold"] = (
                "Give the threshold and the number of weeks it must hold."
            )
        if errors:
            raise ValidationError(errors)


class PilotRole(TimeStampedModel):
    """One row of the ownership matrix: a role (or an org lane) with a primary, a backup and a response time."""

    class Kind(models.TextChoices):
        BUSINESS_OWNER = "business_owner", "Business owner"
        TECHNICAL_OWNER = "technical_owner", "Technical owner"
        REVIEWER = "reviewer", "Reviewer"
        STOP_AUTHORITY = "stop_authority", "Stop authority"
        LANE_IT = "lane_it", "IT"
        LANE_SECURITY = "lane_security", "Security"
        LANE_BUSINESS = "lane_business", "Business team"
        LANE_OPERATIONS = "lane_operations", "Operations"
        LANE_LEADERSHIP = "lane_leadership", "Leadership"
        LANE_PARTNER = "lane_partner", "Outside partner"

    REQUIRED = (Kind.BUSINESS_OWNER, Kind.TECHNICAL_OWNER, Kind.REVIEWER, Kind.STOP_AUTHORITY)
    LANES = (
        Kind.LANE_IT,
        Kind.LANE_SECURITY,
        Kind.LANE_BUSINESS,
        Kind.LANE_OPERATIONS,
        Kind.LANE_LEADERSHIP,
        Kind.LANE_PARTNER,
    )

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    primary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_roles",
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="backup_roles",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="member_roles",
        help_text="Further named people in the role (a reviewer group).",
    )
    response_minutes = models.PositiveIntegerField(
        "response time (minutes)", null=True, blank=True, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[members])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pilot", "kind"], name="one_row_per_role_kind"),
            models.CheckConstraint(
                condition=~Q(primary=F("backup")), name="role_backup_differs_from_primary"
            ),
        ]
        indexes = [
            models.Index(fields=["primary", "pilot"]),
            models.Index(fields=["backup", "pilot"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.pilot}"

    @property
    def is_lane(self) -> bool:
        return self.kind in self.LANES

    def clean(self):
        if self.primary_id and self.primary_id == self.backup_id:
            raise ValidationError(
                {"backup": "The backup must be a different person from the primary."}
            )


class StatusChange(models.Model):
    """Every change of a pilot's status: who (or which rule), when and why."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Pilot.Status.choices)
    to_status = models.CharField(max_length=16, choices=Pilot.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    rule = models.CharField(
        max_length=64, blank=True, help_text="The stop rule that made the change, if any."
    )
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["pilot", "-at"])]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.from_status} → {self.to_status}"
