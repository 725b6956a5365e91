"""Forms for the ledger, task volumes, the CSV import and the dashboard filters.

Forms check types; the services check the rules (amount or hours × rate, no future days, who may
record), and their errors are placed next to the fields by pilots.views.add_service_errors.
"""

import re
from datetime import date

from django import forms
from django.utils import timezone

from common.stale import add_version
from pilots.models import Pilot, Team

from .models import Category

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class DateInput(forms.DateInput):
    input_type = "date"


class CostEntryForm(forms.Form):
    date = forms.DateField(widget=DateInput, help_text="The day the cost belongs to.")
    category = forms.ChoiceField(choices=Category.choices)
    amount = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=4,
        min_value=0,
        help_text="Leave empty when you give hours and an hourly rate.",
    )
    hours = forms.DecimalField(required=False, max_digits=10, decimal_places=4, min_value=0)
    hourly_rate = forms.DecimalField(required=False, max_digits=10, decimal_places=4, min_value=0)
    task_type = forms.CharField(
        required=False, max_length=60, help_text="Optional, e.g. shipping update. Empty: all tasks."
    )
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)

    @classmethod
    def for_entry(cls, entry, data=None):
        """The correction form, with the hidden version of the entry it was opened at."""
        initial = {
            field: getattr(entry, field)
            for field in ("date", "category", "amount", "hours", "hourly_rate", "task_type", "note")
        }
        return add_version(cls(data=data, initial=initial), entry)


class TaskVolumeForm(forms.Form):
    date = forms.DateField(widget=DateInput)
    completed = forms.IntegerField(label="Completed tasks", min_value=0)
    task_type = forms.CharField(
        required=False, max_length=60, help_text="Optional. Empty: all tasks."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)


class CostImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: pilot, date, category, amount (or hours and hourly_rate), and optionally "
            "task_type, note, idempotency_key."
        ),
    )
    pilot = forms.ModelChoiceField(
        queryset=Pilot.objects.none(),
        required=False,
        empty_label="Named on each line (pilot column)",
        help_text="Lines with an empty pilot cell go to this pilot.",
    )

    def __init__(self, *args, pilots=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pilots is not None:
            self.fields["pilot"].queryset = pilots

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5_000_000:
            raise forms.ValidationError("The file is larger than 5 MB: split it.")
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”."
            ) from None


class DashboardFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Pilot.Status.choices], required=False)
    month = forms.CharField(required=False, max_length=7, help_text="YYYY-MM")

    def clean_month(self) -> date | None:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        match = MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError("Choose a month as YYYY-MM, e.g. 2026-11.")
        month = date(int(match.group(1)), int(match.group(2)), 1)
        if month > timezone.localdate():
            raise forms.ValidationError("That month has not started yet.")
        return month

    def filters(self) -> dict:
        """The valid filters, with defaults for anything missing or wrong (shown with its error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not self.is_valid():
            data = {
                name: value for name, value in self.cleaned_data.items() if name not in self.errors
            }
        team = data.get("team")
        return {
            "team": team.pk if team else None,
            "status": data.get("status") or "",
            "month": data.get("month") or timezone.localdate().replace(day=1),
        }
