from rest_framework import serializers

from common.money import MoneyField, PerTaskMoneyField
from costs.models import ALL_TASKS, Category, CostEntry, TaskVolume
from pilots import access
from pilots.models import Pilot

RATE_HELP = (
    "Per hour. Leave out for reviewer, rework or support time to use the rate set once in "
    "/api/hourly-rates (the pilot's, else the company default); the entry keeps the rate used."
)


class ScopedPilotField(serializers.PrimaryKeyRelatedField):
    """A pilot id; pilots the caller cannot see read as ids that do not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.scope_pilots(request.user) if request else Pilot.objects.none()


class CostEntrySerializer(serializers.ModelSerializer):
    """One ledger entry. Give `amount`, or `hours` and `hourly_rate` (the amount is then hours × rate)."""

    pilot = ScopedPilotField()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    hours = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True
    )
    hourly_rate = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True, help_text=RATE_HELP
    )
    task_type = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=ALL_TASKS
    )

    class Meta:
        model = CostEntry
        fields = [
            "id",
            "pilot",
            "date",
            "category",
            "task_type",
            "amount",
            "hours",
            "hourly_rate",
            "note",
            "source",
            "idempotency_key",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "source", "created_by", "created_at", "updated_at"]
        validators = []  # the service answers a repeated idempotency key with the existing entry


class CostEntryUpdateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    task_type = serializers.CharField(max_length=60, required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    hours = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True
    )
    hourly_rate = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, allow_null=True, help_text=RATE_HELP
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CostEntryRowSerializer(serializers.Serializer):
    """One row of a bulk push (the schema; rows are checked by the ledger service)."""

    pilot = serializers.IntegerField()
    date = serializers.DateField()
    category = serializers.ChoiceField(choices=Category.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
    hours = serializers.DecimalField(max_digits=10, decimal_places=4, required=False)
    hourly_rate = serializers.DecimalField(
        max_digits=10, decimal_places=4, required=False, help_text=RATE_HELP
    )
    task_type = serializers.CharField(max_length=60, required=False)
    note = serializers.CharField(max_length=1000, required=False)
    idempotency_key = serializers.CharField(
        max_length=200, required=False, help_text="Per pilot; a row whose key exists adds nothing."
    )
    currency = serializers.CharField(
        required=False, help_text="If given, must be the company currency."
    )


class TaskVolumeSerializer(serializers.ModelSerializer):
    """Completed tasks on one day (per task type). Sending a day again replaces its count."""

    pilot = ScopedPilotField()
    task_type = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=ALL_TASKS
    )

    class Meta:
        model = TaskVolume
        fields = [
            "id",
            "pilot",
            "date",
            "task_type",
            "completed",
            "source",
            "recorded_by",
            "updated_at",
        ]
        read_only_fields = ["id", "source", "recorded_by", "updated_at"]
        validators = []  # the service replaces the day's count


class TaskVolumeRowSerializer(serializers.Serializer):
    pilot = serializers.IntegerField()
    date = serializers.DateField()
    completed = serializers.IntegerField(min_value=0)
    task_type = serializers.CharField(max_length=60, required=False)


class LedgerRowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the row in the list sent, from 0.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class LedgerPushErrorSerializer(serializers.Serializer):
    errors = LedgerRowErrorSerializer(many=True)


class WholeRequestErrorSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        help_text="What is wrong with the request as a whole: not a list, empty, too many rows "
        "or too large.",
    )


class LedgerRowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    id = serializers.IntegerField()
    status = serializers.CharField(
        help_text="created, existing (entries); created, replaced, unchanged (volumes)"
    )


class LedgerPushResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    existing = serializers.IntegerField(required=False)
    replaced = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    rows = LedgerRowResultSerializer(many=True)


class FiguresSerializer(serializers.Serializer):
    """Spend and cost per task over one period (common.money: totals to the cent, per-task
    costs to four places, both rounded half-up)."""

    total = MoneyField(help_text="Spend over the period, every category.")
    api = MoneyField(help_text="Of which model and API spend.")
    tasks = serializers.IntegerField()
    full_per_task = PerTaskMoneyField(
        allow_null=True, help_text="Full cost per completed task; null: no completed tasks."
    )
    api_per_task = PerTaskMoneyField(
        allow_null=True, help_text="Model/API cost per completed task; null: no completed tasks."
    )


class CostSummarySerializer(serializers.Serializer):
    """One pilot's spend against its cap and cost per task, this month (to date) and this week.

    For a past month, the month is whole and the week is its last week, cut at the month's end."""

    pilot = serializers.IntegerField(source="pilot.pk")
    pilot_name = serializers.CharField(source="pilot.name")
    month_start = serializers.DateField(source="month_period.start")
    month_end = serializers.DateField(source="month_period.end")
    week_start = serializers.DateField(source="week_period.start")
    week_end = serializers.DateField(source="week_period.end")
    monthly_cap = MoneyField(source="cap", allow_null=True, help_text="null: no cap.")
    month_percent_of_cap = serializers.DecimalField(
        source="month_percent", max_digits=8, decimal_places=1, allow_null=True
    )
    week_percent_of_cap = serializers.DecimalField(
        source="week_percent", max_digits=8, decimal_places=1, allow_null=True
    )
    cap_level = serializers.CharField(source="level")
    cost_per_task_limit = PerTaskMoneyField(
        source="pilot.cost_per_task_limit", allow_null=True, help_text="null: no limit."
    )
    over_cost_per_task_limit = serializers.BooleanField(source="over_task_limit")
    month = FiguresSerializer()
    week = FiguresSerializer()


class CostEstimateRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    multiplier = serializers.DecimalField(max_digits=5, decimal_places=2)
    tasks = serializers.IntegerField(allow_null=True, help_text="null: volume unknown")
    total = MoneyField(help_text="The month's estimated spend.")
    per_task = PerTaskMoneyField(allow_null=True, help_text="null: volume unknown.")
    percent_of_cap = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
