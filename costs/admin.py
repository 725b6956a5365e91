"""Read-only admin views of the ledger: writes go through the app (services keep the rollup).
Hourly rates are editable here, through the same service as the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CostEntry, DailyCost, HourlyRate, TaskVolume
from .services.rates import hourly_rate_delete, hourly_rate_set


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CostEntry)
class CostEntryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "date",
        "pilot",
        "category",
        "task_type",
        "amount",
        "hours",
        "hourly_rate",
        "source",
    ]
    list_filter = ["category", "source"]
    search_fields = ["pilot__name", "note", "idempotency_key"]
    date_hierarchy = "date"
    list_select_related = ["pilot"]


@admin.register(TaskVolume)
class TaskVolumeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["date", "pilot", "task_type", "completed", "source"]
    list_filter = ["source"]
    search_fields = ["pilot__name", "task_type"]
    date_hierarchy = "date"
    list_select_related = ["pilot"]


@admin.register(DailyCost)
class DailyCostAdmin(ReadOnlyAdmin):
    list_display = ["day", "pilot", "category", "task_type", "total", "hours", "entries"]
    list_filter = ["category"]
    date_hierarchy = "day"
    list_select_related = ["pilot"]


@admin.register(HourlyRate)
class HourlyRateAdmin(SimpleHistoryAdmin):
    """Set a kind of time's rate once: per pilot, or (no pilot) the company default."""

    list_display = ["category", "pilot", "rate", "updated_by", "updated_at"]
    list_filter = ["category", ("pilot", admin.EmptyFieldListFilter)]
    search_fields = ["pilot__name"]
    list_select_related = ["pilot", "updated_by"]
    autocomplete_fields = ["pilot"]
    fields = ["pilot", "category", "rate"]

    def get_readonly_fields(self, request, obj=None):
        # Which rate it is stays fixed once saved; delete it and add another to move it.
        return ["pilot", "category"] if obj else []

    def save_model(self, request, obj, form, change):
        saved, _ = hourly_rate_set(
            by=request.user, pilot=obj.pilot, category=obj.category, rate=obj.rate
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        hourly_rate_delete(by=request.user, hourly_rate=obj)

    def delete_queryset(self, request, queryset):
        for rate in queryset.select_related("pilot"):
            hourly_rate_delete(by=request.user, hourly_rate=rate)
