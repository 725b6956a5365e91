"""The leadership view over REST: the same tables as the page, read-only."""

from rest_framework import serializers

from common.money import MoneyField


class PilotReadinessSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pilot.pk")
    name = serializers.CharField(source="pilot.name")
    team = serializers.CharField(source="pilot.team.name", default=None, allow_null=True)
    status = serializers.CharField(source="pilot.status")
    ready = serializers.BooleanField(help_text="Every readiness check passes; no rule blocks.")
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it may not expand."
    )
    repeats = serializers.DictField(child=serializers.IntegerField())


class PilotWeekSerializer(serializers.Serializer):
    pilot = serializers.IntegerField(source="pilot_id")
    minutes_saved_per_task = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True
    )
    tasks = serializers.IntegerField()
    tasks_estimated = serializers.BooleanField()
    hours_saved = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    full_cost = MoneyField(help_text="The pilot's full cost that week.")
    correction_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class WeekSerializer(serializers.Serializer):
    week = serializers.CharField(source="label")
    start = serializers.DateField(source="week.start")
    hours_saved = serializers.DecimalField(max_digits=12, decimal_places=1)
    full_cost = MoneyField(help_text="Every pilot's full cost that week.")
    cost_per_hour_saved = MoneyField(allow_null=True, help_text="null: no hours saved.")
    pilots = PilotWeekSerializer(many=True, source="values")


class ConcernSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pilot = serializers.IntegerField(source="pilot_id")
    category = serializers.CharField()
    what_went_wrong = serializers.CharField()
    routed_to = serializers.IntegerField(source="routed_to_id", allow_null=True)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ResolutionSerializer(serializers.Serializer):
    category = serializers.CharField()
    target_minutes = serializers.IntegerField()
    raised = serializers.IntegerField()
    open = serializers.IntegerField()
    resolved = serializers.IntegerField()
    overdue = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    in_time_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    average_hours_to_resolve = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True
    )


class ApprovedUseCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    team_name = serializers.CharField()
    tool = serializers.CharField()
    pilot = serializers.IntegerField(source="pilot_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class UseCaseCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()


class LeadershipSerializer(serializers.Serializer):
    pilots = PilotReadinessSerializer(many=True, source="rows")
    weeks = WeekSerializer(many=True, source="totals")
    data_concerns = ConcernSerializer(many=True, source="concerns")
    resolution = ResolutionSerializer(many=True)
    use_cases = UseCaseCountsSerializer()
    approved_use_cases = ApprovedUseCaseSerializer(many=True, source="approved")
