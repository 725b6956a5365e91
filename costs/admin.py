"""Read-only admin views of the ledger: writes go through the app (services keep the rollup)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CostEntry, DailyCost, TaskVolume


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
