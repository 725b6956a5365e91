"""Forms for the week page, the error log and the one-field report. Rules live in the services."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import format_html

from common.stale import add_version
from pilots.forms import UserChoiceField

from .models import ErrorEntry, ReviewWeek, Sample
from .sample_fields import DayChoiceField, ScoreField, week_days

User = get_user_model()
DATE = {"type": "date"}
LINKABLE_ERROR_WEEKS = 4


def _minutes(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=1440,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"}),
    )


class SampleForm(forms.Form):
    """The compact row form of the week page; its field order is its tab order."""

    reference = forms.CharField(max_length=300, label="Ticket or link")
    produced_on = DayChoiceField(label="Day produced")
    produced_by = forms.CharField(max_length=120, label="Produced by")
    case = forms.ChoiceField(choices=Sample.Case.choices, label="Case")
    accuracy_ok = ScoreField(label="Accuracy")
    accuracy_note = forms.CharField(max_length=200, required=False, label="Why accuracy fails")
    tone_ok = ScoreField(label="Tone")
    tone_note = forms.CharField(max_length=200, required=False, label="Why tone fails")
    completeness_ok = ScoreField(label="Complete")
    completeness_note = forms.CharField(
        max_length=200,
        required=False,
        label="Missing facts",
        help_text="A refund rule, a deadline…",
    )
    should_have_gone_to_human = forms.BooleanField(
        required=False, label="Should have gone to a human"
    )
    outcome = forms.ChoiceField(
        choices=[("", "Choose…"), *Sample.Outcome.choices], label="What happened to it"
    )
    minutes_with_ai = _minutes("Minutes with AI")
    manual_minutes = _minutes("Minutes manually")
    complaint = forms.BooleanField(required=False, label="Complaint or reopen")
    note = forms.CharField(max_length=2000, required=False, label="Note")
    error = forms.ModelChoiceField(
        queryset=ErrorEntry.objects.none(), required=False, label="Error-log entry", empty_label="—"
    )

    # Carried from the previous row: context (day, person) and the manual baseline. The outcome,
    # the case, the scores and the minutes with AI are judgements: every sample starts them afresh.
    CARRIED = ("produced_on", "produced_by", "manual_minutes")

    def __init__(self, *args, week: ReviewWeek, **kwargs):
        super().__init__(*args, **kwargs)
        self.week = week
        days = week_days(week)
        current = self.data.get(self.add_prefix("produced_on")) if self.is_bound else None
        current = current or self.initial.get("produced_on")
        if isinstance(current, str):
            try:
                current = date.fromisoformat(current)
            except ValueError:
                current = None
        if isinstance(current, date) and current not in days:
            days = [current, *days]
        self.fields["produced_on"].set_days(days)
        # Open entries and those of the last few weeks: the ones a sample of this week may show.
        recent = week.week_start - timedelta(weeks=LINKABLE_ERROR_WEEKS)
        self.fields["error"].queryset = ErrorEntry.objects.filter(
            Q(status=ErrorEntry.Status.OPEN) | Q(created_at__date__gte=recent),
            pilot_id=week.pilot_id,
        ).order_by("-created_at", "-id")
        self.fields["error"].label_from_instance = lambda entry: (
            f"#{entry.pk} {entry.what_went_wrong[:50]}"
        )
        self.fields["reference"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})
        self.fields["produced_by"].widget.attrs.update(
            {"list": "known-producers", "autocomplete": "off"}
        )

    @classmethod
    def carrying(cls, sample: Sample | None, *, week: ReviewWeek, today) -> "SampleForm":
        """A fresh row: defaults from the previous sample, and its day if it falls in this week,
        else today (or the week's last day, for a past week)."""
        initial = {"case": Sample.Case.EASY}
        if sample is not None:
            initial.update({name: getattr(sample, name) for name in cls.CARRIED})
        day = initial.get("produced_on")
        if day is None or not week.week_start <= day <= week.week_end:
            initial["produced_on"] = min(today, week.week_end)
        return cls(week=week, initial=initial)

    @classmethod
    def editing(cls, sample: Sample, *, week: ReviewWeek) -> "SampleForm":
        """The row form filled with a logged sample, to correct it in place."""
        names = [name for name in cls.base_fields if name != "error"]
        initial = {name: getattr(sample, name) for name in names}
        return cls(week=week, initial={**initial, "error": sample.error_id})


class ReportForm(forms.Form):
    """Report bad output in seconds: one required field, the rest optional."""

    what_went_wrong = forms.CharField(
        label="What went wrong?",
        max_length=4000,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "autofocus": True,
                "placeholder": "The draft promised a refund we don't give…",
            }
        ),
    )
    severity = forms.ChoiceField(
        choices=[], required=False, widget=forms.RadioSelect, label="How serious? (optional)"
    )
    task = forms.CharField(
        max_length=200,
        required=False,
        label="Which task (optional)",
        help_text="Its id, or pick a recent one: what the AI was asked and produced is filled in.",
        widget=forms.TextInput(attrs={"list": "recent-tasks", "autocomplete": "off"}),
    )
    reference = forms.CharField(max_length=300, required=False, label="Ticket or link (optional)")
    task_asked = forms.CharField(
        max_length=4000,
        required=False,
        label="What the AI was asked (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    output = forms.CharField(
        max_length=8000,
        required=False,
        label="What it produced (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = severity_choices(
            blank="Not sure: let the reviewer decide"
        )


def severity_choices(*, blank: str) -> list[tuple[str, str]]:
    """Each severity with the article's meaning beside it, so nobody has to guess under pressure."""
    choices = [("", blank)]
    for value, label in ErrorEntry.Severity.choices:
        meaning = ErrorEntry.SEVERITY_MEANING[value]
        choices.append((value, format_html("<strong>{}</strong> — {}", label, meaning)))
    return choices


class ErrorDetailsForm(forms.Form):
    """Everything a reviewer fills in (or completes later) about one error."""

    what_went_wrong = forms.CharField(
        label="What went wrong", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reference = forms.CharField(max_length=300, required=False, label="Ticket or link")
    task_asked = forms.CharField(
        max_length=4000,
        required=False,
        label="What the AI was asked",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    output = forms.CharField(
        max_length=8000,
        required=False,
        label="What it produced",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    why_wrong = forms.CharField(
        max_length=4000,
        required=False,
        label="Why it was wrong",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    caught_by = UserChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("first_name", "username"),
        required=False,
        label="Who caught it",
    )
    occurred_on = forms.DateField(
        label="When", required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    frequency = forms.ChoiceField(
        choices=[("", "Not known"), *ErrorEntry.Frequency.choices],
        required=False,
        label="How often it happens",
    )
    severity = forms.ChoiceField(
        choices=[], required=False, widget=forms.RadioSelect, label="Severity"
    )
    failure_mode = forms.CharField(
        max_length=120,
        required=False,
        label="Failure mode",
        help_text="A short tag, e.g. wrong delivery date. Reuse a tag so repeats are matched.",
        widget=forms.TextInput(attrs={"list": "failure-modes", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(
        choices=[("", "Not categorised yet"), *ErrorEntry.Category.choices],
        required=False,
        label="Category",
        help_text="Routes the entry to the owner who must act.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = severity_choices(blank="Not assessed yet")

    @classmethod
    def for_entry(cls, entry: ErrorEntry, data=None) -> "ErrorDetailsForm":
        initial = {
            name: getattr(entry, name)
            for name in cls.base_fields
            if name not in {"failure_mode", "caught_by"}
        }
        initial["failure_mode"] = entry.failure_mode.label if entry.failure_mode_id else ""
        initial["caught_by"] = entry.caught_by_id
        return add_version(cls(data=data, initial=initial), entry)


class ErrorFixForm(forms.Form):
    fix_kind = forms.ChoiceField(
        choices=[("", "No fix yet"), *ErrorEntry.FixKind.choices], required=False, label="Fix"
    )
    fix_description = forms.CharField(
        max_length=4000,
        required=False,
        label="What the fix does",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fix_date = forms.DateField(
        required=False, label="Fixed on", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    fix_change = forms.ModelChoiceField(
        queryset=None, required=False, label="Change-log entry", empty_label="—"
    )

    def __init__(self, *args, entry: ErrorEntry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fix_change"].queryset = entry.pilot.changes.order_by("-created_at", "-id")
        self.fields["fix_change"].label_from_instance = lambda change: change.title

    @classmethod
    def for_entry(cls, entry: ErrorEntry, data=None) -> "ErrorFixForm":
        initial = {
            name: getattr(entry, name) for name in ("fix_kind", "fix_description", "fix_date")
        }
        initial["fix_change"] = entry.fix_change_id
        return add_version(cls(data=data, initial=initial, entry=entry), entry)


class ResolveForm(forms.Form):
    note = forms.CharField(
        max_length=4000,
        required=False,
        label="What was checked or changed",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WeekNotesForm(forms.Form):
    notes = forms.CharField(
        required=False,
        label="Meeting notes",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    target_size = forms.IntegerField(min_value=1, max_value=500, label="Target sample size")


class WeekCloseForm(forms.Form):
    decision = forms.CharField(
        label="What the team decided",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One change at a time, tested for a week.",
    )
    next_change = forms.ModelChoiceField(
        queryset=None, required=False, label="The one change to test next", empty_label="— none —"
    )
    below_target_reason = forms.CharField(
        max_length=4000,
        required=False,
        label="Why the sample is below its target",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, week: ReviewWeek, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_change"].queryset = week.pilot.changes.order_by("-created_at", "-id")
        self.fields["next_change"].label_from_instance = lambda change: change.title


class ErrorFilterForm(forms.Form):
    severity = forms.ChoiceField(
        choices=[("", "Any severity"), *ErrorEntry.Severity.choices], required=False
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ErrorEntry.Status.choices], required=False
    )
    category = forms.ChoiceField(
        choices=[("", "Any category"), *ErrorEntry.Category.choices], required=False
    )
    failure_mode = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, choices=[])
    repeats = forms.BooleanField(required=False, label="Repeats only")

    def __init__(self, *args, modes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["failure_mode"].choices = [
            ("", "Any failure mode"),
            *[(m.pk, m.label) for m in modes],
        ]
