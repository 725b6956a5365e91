from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApprovedTool,
    CompanyLane,
    DataClass,
    DataSourceClass,
    EscalationPath,
    ReviewRequirement,
    UseCaseApproval,
    UseCaseRequest,
)


@admin.register(DataClass)
class DataClassAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "needs_security_approval", "rule"]


@admin.register(ApprovedTool)
class ApprovedToolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "approved_for", "approved_by", "review_date"]
    filter_horizontal = ["data_classes"]


@admin.register(ReviewRequirement)
class ReviewRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["area", "review_required", "rule"]


@admin.register(CompanyLane)
class CompanyLaneAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "primary", "backup", "response_minutes"]


@admin.register(EscalationPath)
class EscalationPathAdmin(SimpleHistoryAdmin):
    list_display = ["category", "route_to", "target_minutes"]


@admin.register(DataSourceClass)
class DataSourceClassAdmin(SimpleHistoryAdmin):
    list_display = ["pilot", "source", "data_class", "set_by"]


class ApprovalInline(admin.TabularInline):
    model = UseCaseApproval
    extra = 0
    readonly_fields = ["lane", "reason", "decision", "decided_by", "note", "decided_at"]
    can_delete = False


@admin.register(UseCaseRequest)
class UseCaseRequestAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team_name", "tool", "requested_by", "status", "pilot"]
    list_filter = ["status"]
    readonly_fields = ["status", "decided_at", "pilot"]
    inlines = [ApprovalInline]
