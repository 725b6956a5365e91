"""The queue's scoring form: the week page's sample form without what the draw already knows
(ticket, day, person, case), plus "log as an error" in the same step."""

from decimal import Decimal

from django import forms

from .forms import SampleForm
from .models import ErrorEntry, QueueItem, Sample

FROM_THE_DRAW = ("reference", "produced_on", "produced_by", "case", "error")
ERROR_FIELDS = ("log_error", "what_went_wrong", "severity")


class QueueScoreForm(SampleForm):
    log_error = forms.BooleanField(required=False, label="Log as an error")
    what_went_wrong = forms.CharField(
        max_length=4000,
        required=False,
        label="What went wrong",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    severity = forms.ChoiceField(choices=[], required=False, label="How serious")

    def __init__(self, *args, week, **kwargs):
        super().__init__(*args, week=week, **kwargs)
        for name in FROM_THE_DRAW:
            del self.fields[name]
        self.fields["severity"].choices = [("", "Not judged yet"), *ErrorEntry.Severity.choices]

    @classmethod
    def for_item(cls, item: QueueItem, *, week, last: Sample | None) -> "QueueScoreForm":
        """Minutes with AI from the task when its source reported them, else the pilot's last
        sample's; the manual baseline carried from the pilot's last sample (its usual one)."""
        initial = {}
        candidate = item.candidate
        if candidate is not None and candidate.people_seconds:
            initial["minutes_with_ai"] = (Decimal(candidate.people_seconds) / 60).quantize(
                Decimal("0.5")
            )
        elif last is not None:
            initial["minutes_with_ai"] = last.minutes_with_ai
        if last is not None:
            initial["manual_minutes"] = last.manual_minutes
        return cls(week=week, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("log_error") and not (data.get("what_went_wrong") or "").strip():
            self.add_error("what_went_wrong", "Say what went wrong, for the error log.")
        return data

    def scores(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ERROR_FIELDS}

    def error(self) -> dict | None:
        if not self.cleaned_data.get("log_error"):
            return None
        return {
            "what_went_wrong": self.cleaned_data["what_went_wrong"],
            "severity": self.cleaned_data.get("severity") or "",
        }


class SkipForm(forms.Form):
    skip_reason = forms.CharField(max_length=300, label="Why skip it?")
