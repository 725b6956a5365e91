from django.contrib.auth import get_user_model
from rest_framework import serializers

from governance.models import Alert, AlertDelivery, Change, DecisionRight, RuleSettings
from governance.rules import RULES
from pilots import access
from pilots.models import Pilot

User = get_user_model()


class ScopedPilotField(serializers.PrimaryKeyRelatedField):
    """A pilot id; pilots the caller cannot see read as ids that do not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.scope_pilots(request.user) if request else Pilot.objects.none()


class DecisionRightSerializer(serializers.ModelSerializer):
    pilot = ScopedPilotField()
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    backup = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )

    class Meta:
        model = DecisionRight
        fields = ["id", "pilot", "kind", "owner", "backup", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []


class ChangeSerializer(serializers.ModelSerializer):
    pilot = ScopedPilotField()
    verdict = serializers.ChoiceField(
        choices=Change.Verdict.choices,
        allow_blank=True,
        read_only=True,
        help_text='"" until the outcome is recorded.',
    )

    class Meta:
        model = Change
        fields = [
            "id",
            "pilot",
            "kind",
            "title",
            "hypothesis",
            "new_value",
            "status",
            "requested_by",
            "approved_by",
            "decided_at",
            "decision_note",
            "live_at",
            "review_week",
            "verdict",
            "outcome",
            "outcome_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "requested_by",
            "approved_by",
            "decided_at",
            "decision_note",
            "live_at",
            "review_week",
            "verdict",
            "outcome",
            "outcome_at",
            "created_at",
        ]


class ChangeDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChangeOutcomeSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Change.Verdict.choices)
    outcome = serializers.CharField(max_length=4000)


class AlertDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertDelivery
        fields = ["channel", "target", "status", "attempts", "last_error", "sent_at"]


class AlertSerializer(serializers.ModelSerializer):
    deliveries = AlertDeliverySerializer(many=True, read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "pilot",
            "rule",
            "period",
            "message",
            "next_step",
            "figures",
            "paused_pilot",
            "blocks_expansion",
            "raised_at",
            "deliveries",
        ]


class RuleSettingsSerializer(serializers.ModelSerializer):
    pilot = ScopedPilotField()
    disabled_rules = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(RULES)), required=False, max_length=len(RULES)
    )
    webhook_secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200
    )

    class Meta:
        model = RuleSettings
        fields = [
            "id",
            "pilot",
            "review_grace_days",
            "rising_weeks",
            "max_live_changes_per_week",
            "max_failure_percent",
            "disabled_rules",
            "webhook_url",
            "webhook_secret",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators = []
