from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Change, DecisionRight


@admin.register(DecisionRight)
class DecisionRightAdmin(SimpleHistoryAdmin):
    list_display = ["pilot", "kind", "owner", "backup"]
    list_filter = ["kind"]


@admin.register(Change)
class ChangeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "pilot", "kind", "status", "requested_by", "approved_by", "live_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "status",
        "approved_by",
        "decided_at",
        "live_at",
        "review_week",
        "outcome_at",
    ]
