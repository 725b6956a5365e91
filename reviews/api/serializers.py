from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pilots import access
from pilots.models import Pilot, PilotRole

from ..models import ErrorEntry, FailureMode, ReviewWeek, Sample
from ..selectors import figures_by_week
from ..services import sample_problems
from ..weeks import week_start

User = get_user_model()


def _change_model():
    """governance.Change without importing governance (it imports this app's selectors)."""
    return ReviewWeek._meta.get_field("next_change").related_model


@extend_schema_field(OpenApiTypes.INT)
class ScopedPilotField(serializers.PrimaryKeyRelatedField):
    """A pilot id; pilots the caller cannot see read as ids that do not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.scope_pilots(request.user) if request else Pilot.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class ScopedWeekField(serializers.PrimaryKeyRelatedField):
    """A review week id the caller can see; a bulk call looks each week up once, not once a row."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return ReviewWeek.objects.none()
        return access.scope_by_pilot(request.user, ReviewWeek.objects.select_related("pilot"))

    def to_internal_value(self, data):
        cache = self.context.setdefault("review_weeks", {})
        key = str(data)
        if key not in cache:
            cache[key] = super().to_internal_value(data)
        return cache[key]


@extend_schema_field(OpenApiTypes.INT)
class ScopedChangeField(serializers.PrimaryKeyRelatedField):
    """A change-log entry the caller can see; the service checks it belongs to the same pilot."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return _change_model().objects.none()
        return access.scope_by_pilot(request.user, _change_model().objects.all())


@extend_schema_field(OpenApiTypes.INT)
class ScopedErrorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return ErrorEntry.objects.none()
        return access.scope_by_pilot(request.user, ErrorEntry.objects.all())


class IsoWeekField(serializers.CharField):
    def to_internal_value(self, data):
        label = super().to_internal_value(data).strip().upper()
        try:
            week_start(label)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        return label


CORRECTION_RATE_HELP = (
    "Percent of the week's samples that needed a minor edit or a major rewrite before use. A "
    "discarded output is not a correction: it counts in `samples` but not here. Null for a week "
    "without samples."
)


class WeekFiguresSerializer(serializers.Serializer):
    """The figures the week page shows, computed by the same selector (reviews.selectors)."""

    samples = serializers.IntegerField(help_text="Samples logged.")
    target = serializers.IntegerField(help_text="Samples the week aims for.")
    error_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text="Percent of samples failing on accuracy, tone or completeness (0.1 steps); "
        "null for a week without samples.",
    )
    failing = serializers.IntegerField(help_text="Samples failing on any score.")
    correction_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text=CORRECTION_RATE_HELP
    )
    corrected = serializers.IntegerField(
        help_text="Samples that needed a minor edit or a major rewrite (not discarded ones)."
    )
    complaints = serializers.IntegerField(help_text="Samples with a complaint or reopen.")
    should_have_gone_to_human = serializers.IntegerField(
        help_text="Samples that should have gone to a human."
    )
    avg_minutes_saved = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        allow_null=True,
        help_text="Average manual minutes minus minutes with the AI, per sample; null without "
        "samples.",
    )
    distinct_days = serializers.IntegerField(help_text="Different days the samples come from.")
    distinct_users = serializers.IntegerField(help_text="Different people whose work was sampled.")
    messy_count = serializers.IntegerField(help_text="Samples marked as messy cases.")
    coverage_warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why the sample is too thin to trust (days, people, messy cases); empty when "
        "it covers enough.",
    )
    below_target = serializers.BooleanField(help_text="Fewer samples than the target.")


class ReviewWeekSerializer(serializers.ModelSerializer):
    pilot = ScopedPilotField()
    iso_week = IsoWeekField(help_text="ISO week, e.g. 2026-W47.")
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    next_change = ScopedChangeField(allow_null=True, required=False)
    sample_count = serializers.IntegerField(read_only=True, help_text="Samples logged so far.")
    figures = serializers.SerializerMethodField(
        help_text="The week's figures, as the week page shows them."
    )

    class Meta:
        model = ReviewWeek
        fields = [
            "id",
            "pilot",
            "iso_week",
            "week_start",
            "reviewer",
            "target_size",
            "notes",
            "status",
            "decision",
            "next_change",
            "below_target_reason",
            "closed_at",
            "closed_by",
            "sample_count",
            "figures",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "week_start",
            "status",
            "decision",
            "below_target_reason",
            "closed_at",
            "closed_by",
            "target_size",
            "updated_at",
        ]

    @extend_schema_field(WeekFiguresSerializer)
    def get_figures(self, week: ReviewWeek) -> dict:
        # The view works the figures out for the whole page at once (one query); a week it did
        # not (a serializer used elsewhere) costs one query of its own.
        figures = self.context.get("week_figures", {}).get(week.pk)
        if figures is None:
            figures = figures_by_week(weeks=[week])[week.pk]
        return WeekFiguresSerializer(figures).data


class ReviewWeekUpdateSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    target_size = serializers.IntegerField(min_value=1, max_value=500, required=False)
    next_change = ScopedChangeField(allow_null=True, required=False)


class ReviewWeekCloseSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=4000)
    next_change = ScopedChangeField(allow_null=True, required=False, default=None)
    below_target_reason = serializers.CharField(
        max_length=4000, allow_blank=True, required=False, default=""
    )


class SampleSerializer(serializers.ModelSerializer):
    """One sample. For a bulk call, send a list of these; each names its review `week` (id)."""

    week = ScopedWeekField()
    error = ScopedErrorField(allow_null=True, required=False)
    iso_week = serializers.SerializerMethodField()
    minutes_saved = serializers.DecimalField(max_digits=7, decimal_places=1, read_only=True)

    class Meta:
        model = Sample
        fields = [
            "id",
            "week",
            "iso_week",
            "pilot",
            "reference",
            "produced_on",
            "produced_by",
            "case",
            "accuracy_ok",
            "accuracy_note",
            "tone_ok",
            "tone_note",
            "completeness_ok",
            "completeness_note",
            "should_have_gone_to_human",
            "outcome",
            "minutes_with_ai",
            "manual_minutes",
            "minutes_saved",
            "complaint",
            "note",
            "error",
            "logged_by",
            "created_at",
        ]
        read_only_fields = ["id", "pilot", "logged_by", "created_at"]

    def get_iso_week(self, sample) -> str:
        return sample.week.iso_week

    def validate(self, attrs):
        """The service's own checks, so a bulk call reports every bad row at once."""
        week = attrs["week"]
        data = {name: value for name, value in attrs.items() if name != "week"}
        errors = sample_problems(week=week, data=data)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class BulkErrorSerializer(serializers.Serializer):
    class RowErrors(serializers.Serializer):
        index = serializers.IntegerField(
            allow_null=True, help_text="The row's position in the list; null: the whole request."
        )
        errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    errors = RowErrors(many=True)


class FailureModeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FailureMode
        fields = ["id", "pilot", "slug", "label"]


class ErrorEntrySerializer(serializers.ModelSerializer):
    """A full entry. Reviewers log it; owners and the stop authority record the fix."""

    pilot = ScopedPilotField()
    failure_mode = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="A tag of the pilot's vocabulary (label or slug); a new one is added.",
    )
    caught_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    fix_change = ScopedChangeField(allow_null=True, required=False)
    routed_role = serializers.ChoiceField(
        choices=PilotRole.Kind.choices,
        allow_blank=True,
        read_only=True,
        help_text='The role the category routes the entry to; "" until it has a category.',
    )
    severity_meaning = serializers.CharField(read_only=True)
    is_repeat = serializers.BooleanField(read_only=True)
    is_serious_repeat = serializers.BooleanField(read_only=True)
    needs_human_check = serializers.BooleanField(read_only=True)

    class Meta:
        model = ErrorEntry
        fields = [
            "id",
            "pilot",
            "what_went_wrong",
            "reference",
            "task_asked",
            "output",
            "why_wrong",
            "reported_by",
            "caught_by",
            "occurred_on",
            "frequency",
            "severity",
            "severity_meaning",
            "needs_human_check",
            "failure_mode",
            "category",
            "routed_role",
            "routed_to",
            "status",
            "is_repeat",
            "is_serious_repeat",
            "repeat_of",
            "paused_pilot",
            "fix_kind",
            "fix_description",
            "fix_date",
            "fix_change",
            "resolved_at",
            "resolved_by",
            "resolution_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "reported_by",
            "routed_role",
            "routed_to",
            "status",
            "repeat_of",
            "paused_pilot",
            "resolved_at",
            "resolved_by",
            "resolution_note",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"occurred_on": {"required": False, "allow_null": True}}

    def to_representation(self, entry):
        data = super().to_representation(entry)
        data["failure_mode"] = entry.failure_mode.label if entry.failure_mode_id else None
        return data


class ErrorEntryUpdateSerializer(ErrorEntrySerializer):
    class Meta(ErrorEntrySerializer.Meta):
        read_only_fields = [*ErrorEntrySerializer.Meta.read_only_fields, "pilot"]


class ErrorReportSerializer(serializers.Serializer):
    """Report bad output: one required field."""

    pilot = ScopedPilotField()
    what_went_wrong = serializers.CharField(max_length=4000)
    task = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="The task's source id (as sent with its traffic): fills in the reference, "
        "what the AI was asked and what it produced, when its text was kept.",
    )
    severity = serializers.ChoiceField(
        choices=ErrorEntry.Severity.choices, required=False, allow_blank=True
    )
    reference = serializers.CharField(max_length=300, required=False, allow_blank=True)
    task_asked = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    output = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    occurred_on = serializers.DateField(required=False, allow_null=True)


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
