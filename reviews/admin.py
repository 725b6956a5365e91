from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ErrorEntry, FailureMode, PoolCandidate, QueueItem, ReviewWeek, Sample, WeekDraw


@admin.register(FailureMode)
class FailureModeAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "pilot"]
    list_filter = ["pilot"]
    search_fields = ["label", "slug"]


@admin.register(ReviewWeek)
class ReviewWeekAdmin(SimpleHistoryAdmin):
    list_display = ["pilot", "week_start", "reviewer", "target_size", "status", "closed_at"]
    list_filter = ["status", "pilot"]
    date_hierarchy = "week_start"
    readonly_fields = ["status", "closed_at", "closed_by"]
    raw_id_fields = ["next_change"]


@admin.register(Sample)
class SampleAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "pilot", "week", "produced_on", "produced_by", "case", "outcome"]
    list_filter = ["pilot", "outcome", "case"]
    search_fields = ["reference", "produced_by", "note"]
    readonly_fields = ["pilot", "logged_by"]
    raw_id_fields = ["week", "error"]


@admin.register(ErrorEntry)
class ErrorEntryAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "pilot",
        "severity",
        "category",
        "failure_mode",
        "status",
        "routed_to",
    ]
    list_filter = ["severity", "status", "category", "pilot"]
    search_fields = ["what_went_wrong", "why_wrong", "reference"]
    # Routing, repeats, pausing and resolution are decided by the services, not typed in here.
    readonly_fields = [
        "routed_role",
        "routed_to",
        "repeat_of",
        "paused_pilot",
        "status",
        "resolved_at",
        "resolved_by",
    ]
    raw_id_fields = ["fix_change", "failure_mode"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the ingest, the draw and the queue (their services); shown to look into."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PoolCandidate)
class PoolCandidateAdmin(ReadOnlyAdmin):
    list_display = ["source_id", "pilot", "day", "user_ref", "task_type", "outcome", "messy"]
    list_filter = ["pilot", "day"]
    search_fields = ["source_id", "user_ref"]


@admin.register(WeekDraw)
class WeekDrawAdmin(ReadOnlyAdmin):
    list_display = ["week", "seed", "period_start", "period_end", "drawn_by", "created_at"]


@admin.register(QueueItem)
class QueueItemAdmin(ReadOnlyAdmin):
    list_display = ["reference", "week", "position", "pass_number", "status", "scored_by"]
    list_filter = ["status"]
    raw_id_fields = ["week", "candidate", "sample"]
