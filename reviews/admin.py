from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ErrorEntry, FailureMode, ReviewWeek, Sample


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
