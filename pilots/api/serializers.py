from django.contrib.auth import get_user_model
from rest_framework import serializers

from common.validators import single_line
from pilots import access
from pilots.models import Pilot, PilotRole, StatusChange, Team
from pilots.services import EDITABLE_FIELDS

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class RoleSerializer(serializers.ModelSerializer):
    """One row of the ownership matrix. POST sets (creates or replaces) the row for pilot + kind."""

    primary = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    backup = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    pilot = serializers.PrimaryKeyRelatedField(queryset=Pilot.objects.all())

    class Meta:
        model = PilotRole
        fields = [
            "id",
            "pilot",
            "kind",
            "primary",
            "backup",
            "members",
            "response_minutes",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators = []  # the service upserts per (pilot, kind)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "pilot" in fields:
            # A pilot you cannot see reads as one that does not exist.
            fields["pilot"].queryset = access.scope_pilots(request.user)
        return fields


class PilotListSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(
        source="team.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Pilot
        fields = [
            "id",
            "name",
            "summary",
            "team",
            "team_name",
            "status",
            "status_since",
            "next_review_date",
            "updated_at",
        ]


READ_ONLY = ["id", "status", "status_since", "status_reason", "created_at", "updated_at"]


class PilotSerializer(serializers.ModelSerializer):
    """The whole one-page model. Status changes go through POST /api/pilots/{id}/status."""

    name = serializers.CharField(max_length=200, validators=[single_line])
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False
    )
    team_name = serializers.CharField(
        source="team.name", read_only=True, default=None, allow_null=True
    )
    roles = RoleSerializer(many=True, read_only=True)
    never_do = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=30, required=False
    )
    skip_ai_cases = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=30, required=False
    )
    override_cases = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=30, required=False
    )
    data_sources = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=30, required=False
    )
    tools = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=30, required=False
    )
    bad_day_scenarios = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=10, required=False
    )
    alert_thresholds = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=200), max_length=10, required=False
    )

    class Meta:
        model = Pilot
        fields = [*READ_ONLY, *sorted(EDITABLE_FIELDS), "team_name", "roles"]
        read_only_fields = READ_ONLY


class PilotStatusSerializer(serializers.ModelSerializer):
    paused = serializers.SerializerMethodField()
    may_call_model = serializers.SerializerMethodField(
        help_text="False when the pilot is paused, retired or still a draft: do not call the model."
    )
    since = serializers.DateTimeField(source="status_since")
    reason = serializers.CharField(source="status_reason")

    class Meta:
        model = Pilot
        fields = ["id", "status", "since", "reason", "paused", "may_call_model"]

    def get_paused(self, pilot) -> bool:
        return pilot.status == Pilot.Status.PAUSED

    def get_may_call_model(self, pilot) -> bool:
        return pilot.status in {Pilot.Status.PILOTING, Pilot.Status.EXPANDING, Pilot.Status.SCALED}


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Pilot.Status.choices)
    reason = serializers.CharField(max_length=2000)


class StatusChangeSerializer(serializers.ModelSerializer):
    """One change of a pilot's status: a person (`by`) or a stop rule (`rule`) made it."""

    by = UserSerializer(
        read_only=True, allow_null=True, help_text="Who changed it; null when a rule did."
    )
    rule = serializers.CharField(
        read_only=True, help_text="The stop rule that changed it; empty when a person did."
    )
    from_status = serializers.ChoiceField(choices=Pilot.Status.choices, read_only=True)
    to_status = serializers.ChoiceField(choices=Pilot.Status.choices, read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Why, as recorded at the time.")
    at = serializers.DateTimeField(read_only=True, help_text="When.")

    class Meta:
        model = StatusChange
        fields = ["id", "at", "by", "rule", "from_status", "to_status", "reason"]
