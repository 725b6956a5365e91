from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from pilots import access
from pilots.models import Pilot, PilotRole

from ..models import (
    LANE_CHOICES,
    ApprovedTool,
    Category,
    CompanyLane,
    DataClass,
    DataSourceClass,
    ReviewRequirement,
    UseCaseApproval,
    UseCaseRequest,
)

User = get_user_model()


def _people():
    return User.objects.filter(is_active=True)


class DataClassSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=20, required=False
    )
    tools = serializers.SerializerMethodField(
        help_text="The approved tools it may be entered into."
    )

    class Meta:
        model = DataClass
        fields = [
            "id",
            "name",
            "level",
            "rule",
            "aliases",
            "needs_security_approval",
            "tools",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators = []  # the service checks the name case-insensitively

    def get_tools(self, data_class) -> list[str]:
        return [tool.name for tool in data_class.tools.all()]

    def get_fields(self):
        fields = super().get_fields()
        # The service checks the name's uniqueness (case-insensitively); keep the other checks.
        fields["name"].validators = [
            validator
            for validator in fields["name"].validators
            if not isinstance(validator, UniqueValidator)
        ]
        return fields


class ApprovedToolSerializer(serializers.ModelSerializer):
    data_classes = serializers.PrimaryKeyRelatedField(
        queryset=DataClass.objects.all(), many=True, required=False
    )
    data_class_names = serializers.SerializerMethodField()
    approved_by = serializers.PrimaryKeyRelatedField(
        queryset=_people(), allow_null=True, required=False
    )
    lapsed = serializers.SerializerMethodField(help_text="The review date has passed.")

    class Meta:
        model = ApprovedTool
        fields = [
            "id",
            "name",
            "approved_for",
            "data_classes",
            "data_class_names",
            "approved_by",
            "review_date",
            "lapsed",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators = []

    def get_data_class_names(self, tool) -> list[str]:
        return [data_class.name for data_class in tool.data_classes.all()]

    def get_lapsed(self, tool) -> bool:
        return bool(tool.review_date and tool.review_date < timezone.localdate())


class ReviewRequirementSerializer(serializers.ModelSerializer):
    """POST sets the requirement of one use area, creating or replacing it."""

    area = serializers.ChoiceField(choices=Pilot.UseArea.choices)

    class Meta:
        model = ReviewRequirement
        fields = ["id", "area", "review_required", "rule", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []


class CompanyLaneSerializer(serializers.ModelSerializer):
    """POST sets the contacts of one company lane, creating or replacing it."""

    kind = serializers.ChoiceField(
        choices=PilotRole.Kind.choices, help_text="One of the lanes: lane_it, lane_security, …"
    )
    primary = serializers.PrimaryKeyRelatedField(
        queryset=_people(), allow_null=True, required=False
    )
    backup = serializers.PrimaryKeyRelatedField(queryset=_people(), allow_null=True, required=False)

    class Meta:
        model = CompanyLane
        fields = ["id", "kind", "primary", "backup", "response_minutes", "covers", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []


class EscalationPathSerializer(serializers.Serializer):
    """One of the eight categories: where it goes and how fast. POST sets it."""

    category = serializers.ChoiceField(choices=Category.choices)
    label = serializers.CharField(read_only=True)
    route_to = serializers.ChoiceField(
        choices=PilotRole.Kind.choices, help_text="A company lane or a pilot role."
    )
    route_label = serializers.CharField(read_only=True)
    target_minutes = serializers.IntegerField(min_value=1, max_value=60 * 24 * 30)
    covers = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    configured = serializers.BooleanField(
        read_only=True, help_text="False: the built-in default, not stored yet."
    )


class DataSourceClassSerializer(serializers.ModelSerializer):
    """POST sets the data class of one of a pilot's data sources; a null class removes it, so the
    source is matched by its name again."""

    pilot = serializers.PrimaryKeyRelatedField(queryset=Pilot.objects.all())
    data_class = serializers.PrimaryKeyRelatedField(
        queryset=DataClass.objects.all(), allow_null=True
    )
    data_class_name = serializers.CharField(source="data_class.name", read_only=True, default=None)

    class Meta:
        model = DataSourceClass
        fields = ["id", "pilot", "source", "data_class", "data_class_name", "set_by", "updated_at"]
        read_only_fields = ["id", "set_by", "updated_at"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["pilot"].queryset = access.scope_pilots(request.user)
        return fields


class ApprovalStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = UseCaseApproval
        fields = ["lane", "reason", "decision", "decided_by", "note", "decided_at"]
        read_only_fields = fields


class UseCaseRequestSerializer(serializers.ModelSerializer):
    data_classes = serializers.PrimaryKeyRelatedField(
        queryset=DataClass.objects.all(), many=True, allow_empty=False
    )
    use_areas = serializers.ListField(
        child=serializers.CharField(max_length=24),
        required=False,
        max_length=5,
        help_text="Where its output would be used: "
        + ", ".join(Pilot.UseArea.values)
        + " (the same values as a pilot's use_areas).",
    )
    approvals = ApprovalStepSerializer(many=True, read_only=True)

    class Meta:
        model = UseCaseRequest
        fields = [
            "id",
            "name",
            "task",
            "team_name",
            "data_classes",
            "data_detail",
            "tool",
            "use_areas",
            "benefit",
            "requested_by",
            "status",
            "approvals",
            "pilot",
            "decided_at",
            "created_at",
        ]
        read_only_fields = ["id", "requested_by", "status", "pilot", "decided_at", "created_at"]


class UseCaseDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    lane = serializers.ChoiceField(
        choices=LANE_CHOICES,
        required=False,
        help_text="Decide only this lane's step; by default every step you hold.",
    )


class CanIUseQuerySerializer(serializers.Serializer):
    tool = serializers.CharField(max_length=120)
    data_class = serializers.PrimaryKeyRelatedField(queryset=DataClass.objects.all())


class AnswerSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    headline = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    tool = serializers.CharField(allow_null=True, help_text="The register's name, or null.")
    data_class = serializers.CharField()
    other_tools = serializers.ListField(
        child=serializers.CharField(), help_text="Tools approved for this data."
    )
    ask = serializers.CharField(allow_null=True, help_text="The Security lane's contact.")
