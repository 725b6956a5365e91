from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Pilot, PilotRole, StatusChange, Team


class PilotRoleInline(admin.TabularInline):
    model = PilotRole
    extra = 0
    autocomplete_fields = ["primary", "backup"]
    filter_horizontal = ["members"]


@admin.register(Pilot)
class PilotAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team", "status", "status_since", "next_review_date"]
    list_filter = ["status", "team"]
    search_fields = ["name", "summary"]
    readonly_fields = ["status", "status_since", "status_reason", "status_before_pause"]
    inlines = [PilotRoleInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["pilot", "from_status", "to_status", "by", "rule", "at"]
    list_filter = ["to_status"]
    readonly_fields = [field.name for field in StatusChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
