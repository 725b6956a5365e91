"""Company guardrails around every pilot: which tools are approved for which data, the rule for each
kind of data, when a person must review the output, who holds each company-wide lane, where each
kind of AI issue goes and how fast, and how a new AI use case is proposed and approved.

This app sits beside `pilots` (it imports only `pilots` and `common`), so `reviews` may route error
entries through its escalation paths and `governance` may read its readiness problems.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from common.validators import single_line
from pilots.models import Pilot, PilotRole

LANE_CHOICES = [(kind.value, kind.label) for kind in PilotRole.LANES]


class Category(models.TextChoices):
    """The eight kinds of AI issue from the article; the same values as the error log's categories."""

    USER_GUIDANCE = "user_guidance", "User guidance"
    TECHNICAL_ISSUE = "technical_issue", "Technical issue"
    DATA_HANDLING = "data_handling", "Data handling"
    SECURITY_INCIDENT = "security_incident", "Security incident"
    WORKFLOW_FAILURE = "workflow_failure", "Workflow failure"
    NEW_USE_CASE = "new_use_case", "New use case request"
    OUTPUT_QUALITY = "output_quality", "Output quality"
    COMPLIANCE_REVIEW = "compliance_review", "Compliance review"


class DataClass(TimeStampedModel):
    """A kind of data (public, internal, client confidential, personal / HR, financial) and its rule."""

    name = models.CharField(max_length=80, unique=True, validators=[single_line])
    level = models.PositiveSmallIntegerField(
        "sensitivity",
        default=1,
        help_text="Higher is more sensitive. A data source whose name matches several classes "
        "takes the most sensitive one.",
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other words a data source's name may use for it, e.g. “CRM”, “payroll”.",
    )
    rule = models.TextField(
        "the rule, in plain words",
        help_text="e.g. Do not paste client confidential data into unapproved public tools.",
    )
    needs_security_approval = models.BooleanField(
        "new uses need the Security lane",
        default=False,
        help_text="A new use case touching this data is approved by the Security lane too.",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["level", "name"]
        verbose_name_plural = "data classes"

    def __str__(self) -> str:
        return self.name


class ApprovedTool(TimeStampedModel):
    """One entry of the approved tools register."""

    name = models.CharField(max_length=120, validators=[single_line])
    approved_for = models.TextField(
        "what it is approved for", help_text="e.g. internal summaries, first drafts, research."
    )
    data_classes = models.ManyToManyField(
        DataClass, blank=True, related_name="tools", verbose_name="data classes allowed"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_date = models.DateField(
        "review by", null=True, blank=True, help_text="After this day the approval lapses."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[data_classes])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="approved_tool_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewRequirement(TimeStampedModel):
    """Whether AI output used in one area (financial, legal, HR, client-facing) needs human review."""

    area = models.CharField(max_length=24, choices=Pilot.UseArea.choices, unique=True)
    review_required = models.BooleanField(default=True)
    rule = models.TextField(
        "the rule, in plain words",
        help_text="e.g. Get human review before using AI-generated analysis in financial decisions.",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["area"]

    def __str__(self) -> str:
        return self.get_area_display()


class CompanyLane(TimeStampedModel):
    """A company-wide ownership lane (IT, Security, …) and its named contacts.

    A pilot that leaves a lane empty falls back to these contacts (routing, the one page)."""

    kind = models.CharField(max_length=24, choices=LANE_CHOICES, unique=True)
    primary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_minutes = models.PositiveIntegerField(
        "responds within (minutes)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    covers = models.TextField(
        "what it covers", blank=True, help_text="e.g. access, integrations, platform support."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(primary=F("backup")), name="company_lane_backup_differs"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class EscalationPath(TimeStampedModel):
    """Where one category of AI issue goes (a lane or a pilot role) and how fast it must be answered.

    A category without a row uses `support.escalation.DEFAULT_PATHS`."""

    category = models.CharField(max_length=20, choices=Category.choices, unique=True)
    route_to = models.CharField(max_length=24, choices=PilotRole.Kind.choices)
    target_minutes = models.PositiveIntegerField(
        "respond within (minutes)", validators=[MinValueValidator(1)]
    )
    covers = models.TextField("what it covers", blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()


class DataSourceClass(TimeStampedModel):
    """The data class of one of a pilot's declared data sources, set by its owners on the one page.

    Without a row the data source is classified by name (the data classes' names and aliases)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="data_source_classes")
    source = models.CharField(max_length=300)
    data_class = models.ForeignKey(DataClass, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "source"], name="one_class_per_data_source")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.data_class}"


class UseCaseRequest(TimeStampedModel):
    """A proposed new AI use case; approved by every lane on its path, it becomes a draft pilot."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    name = models.CharField("a short name", max_length=200, validators=[single_line])
    task = models.CharField(
        "what task should AI help with",
        max_length=300,
        help_text="e.g. Draft renewal summaries for account managers from CRM notes.",
    )
    team_name = models.CharField("which team", max_length=120, validators=[single_line])
    data_classes = models.ManyToManyField(
        DataClass, related_name="+", verbose_name="which data it would touch"
    )
    data_detail = models.TextField(
        "the data, in your words", blank=True, help_text="e.g. CRM notes and open support tickets."
    )
    tool = models.CharField("which tool", max_length=120, validators=[single_line])
    use_areas = models.JSONField("where its output is used", default=list, blank=True)
    benefit = models.TextField("what it would save or improve", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    pilot = models.OneToOneField(
        Pilot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="use_case_request",
        help_text="The draft pilot it became once approved.",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[data_classes])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def use_area_labels(self) -> list[str]:
        labels = dict(Pilot.UseArea.choices)
        return [labels.get(area, area) for area in self.use_areas or []]


class UseCaseApproval(TimeStampedModel):
    """One step of a request's approval path: a lane whose contact must approve, and why."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    request = models.ForeignKey(UseCaseRequest, on_delete=models.CASCADE, related_name="approvals")
    lane = models.CharField(max_length=24, choices=LANE_CHOICES)
    reason = models.CharField("why this lane approves", max_length=300)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "lane"], name="one_step_per_lane"),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False),
                name="decided_step_has_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_lane_display()} for {self.request}"
