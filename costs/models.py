"""The cost ledger, completed-task volumes and the daily rollup every figure is read from.

Money is `Decimal` end to end: amounts are stored with four decimal places so that a cent-fraction
of model spend per call survives summing, and rounded to cents only where a person reads them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from pilots.models import Pilot

ALL_TASKS = "all"


class Category(models.TextChoices):
    MODEL_API = "model_api", "Model and API spend"
    REVIEWER_TIME = "reviewer_time", "Reviewer time"
    REWORK = "rework", "Rework"
    SUPPORT_TIME = "support_time", "Support time when the flow breaks"
    ESCALATIONS = "escalations", "Escalations"
    TOOL_FEES = "tool_fees", "Tool fees"
    OTHER = "other", "Other"


# Costs that grow with the number of tasks: more tasks mean more model calls, more drafts to
# review, more rework and more escalations. Tool fees (and other fixed costs) stay as they are.
SCALING_CATEGORIES = frozenset(
    {
        Category.MODEL_API,
        Category.REVIEWER_TIME,
        Category.REWORK,
        Category.SUPPORT_TIME,
        Category.ESCALATIONS,
    }
)


# The costs that are people's time: recorded as hours × an hourly rate, and the kinds of time an
# hourly rate can be set for once (HourlyRate), so a tool may push hours alone.
TIME_CATEGORIES = (Category.REVIEWER_TIME, Category.REWORK, Category.SUPPORT_TIME)


class Source(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    API = "api", "Pushed by API"
    IMPORT = "import", "Imported from a file"


class CostEntry(TimeStampedModel):
    """One cost of one pilot on one day: an amount, or hours × an hourly rate (both stored)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="cost_entries")
    date = models.DateField(help_text="The day the cost belongs to.")
    category = models.CharField(max_length=24, choices=Category.choices)
    task_type = models.CharField(
        max_length=60,
        default=ALL_TASKS,
        help_text="The kind of task the cost belongs to; 'all' spreads it over every task.",
    )
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        help_text="In the company currency; hours × rate when given.",
    )
    hours = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    idempotency_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        help_text="A retried push with the same key (per pilot) adds nothing.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "cost entries"
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "idempotency_key"], name="cost_entry_key_once_per_pilot"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="cost_entry_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True, hourly_rate__isnull=True)
                | Q(hours__isnull=False, hourly_rate__isnull=False),
                name="cost_entry_hours_with_rate",
            ),
        ]
        indexes = [models.Index(fields=["pilot", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} on {self.date}: {self.amount}"


class TaskVolume(TimeStampedModel):
    """Completed tasks of one pilot on one day (per task type). Pushing the day again replaces it."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="task_volumes")
    date = models.DateField()
    task_type = models.CharField(max_length=60, default=ALL_TASKS)
    completed = models.PositiveIntegerField("completed tasks")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "task_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "date", "task_type"], name="task_volume_once_per_day_and_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pilot} on {self.date}: {self.completed} {self.task_type} tasks"


class DailyCost(models.Model):
    """The ledger summed per pilot, day, category and task type.

    Kept in step by the services that write the ledger, in the same transaction (see
    costs/services/rollup.py), and rebuilt from scratch by `manage.py costs_rollup_rebuild`.
    Every figure reads this table; nothing sums the raw ledger per request.
    """

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.CharField(max_length=24, choices=Category.choices)
    task_type = models.CharField(max_length=60, default=ALL_TASKS)
    total = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal("0"))
    hours = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal("0"))
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "day", "category", "task_type"], name="daily_cost_one_row_per_key"
            ),
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.day} {self.category}/{self.task_type}: {self.total}"


class MonthlyCost(models.Model):
    """The ledger summed per pilot, month and category: what the dashboard's trend reads.

    A pilot's spend sits on a few days a month, so the daily rollup is nearly as long as the ledger
    itself; a year of months for every pilot is a third of it. Kept in step by the same services
    and in the same transaction as `DailyCost` (costs/services/rollup.py), rebuilt with it.
    """

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    category = models.CharField(max_length=24, choices=Category.choices)
    total = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal("0"))
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "month", "category"], name="monthly_cost_one_row_per_key"
            ),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.month:%Y-%m} {self.category}: {self.total}"


class HourlyRate(TimeStampedModel):
    """The hourly rate of one kind of time: for one pilot, or (no pilot) the company default.

    Hours recorded without a rate take the pilot's rate for their category, else the company
    default; each entry stores the rate it used, so changing a rate later leaves the ledger alone.
    """

    pilot = models.ForeignKey(
        Pilot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hourly_rates",
        help_text="Leave empty for the company default.",
    )
    category = models.CharField(
        "kind of time",
        max_length=24,
        choices=[(value.value, value.label) for value in TIME_CATEGORIES],
    )
    rate = models.DecimalField(
        max_digits=10, decimal_places=4, help_text="Per hour, in the company currency."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot_id", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "category"],
                nulls_distinct=False,  # one company default per kind of time, too
                name="hourly_rate_once_per_pilot_and_kind",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="hourly_rate_positive"),
            models.CheckConstraint(
                condition=Q(category__in=[value.value for value in TIME_CATEGORIES]),
                name="hourly_rate_only_for_time",
            ),
        ]

    def __str__(self) -> str:
        whose = self.pilot.name if self.pilot_id else "company default"
        return f"{self.get_category_display()} ({whose}): {self.rate}/h"
