"""The sample row's quick fields: pass/fail toggles and the seven days of the review week."""

from datetime import date, timedelta

from django import forms
from django.utils.html import format_html


class PassToggle(forms.CheckboxInput):
    """A pass/fail toggle: ticked passes, Space or one click fails it. A hidden "False" goes first,
    so an unticked box still sends a value; a post without the field at all keeps the default pass
    (tools and old forms that never sent it)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "pass-toggle", **(attrs or {})},
            check_test=lambda value: value not in (False, "False", "false"),
        )

    def render(self, name, value, attrs=None, renderer=None):
        hidden = format_html('<input type="hidden" name="{}" value="False">', name)
        return hidden + super().render(name, value, attrs, renderer)

    def format_value(self, value):
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["value"] = "True"
        return context

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = [value for value in values if value is not None]
        return values[-1] if values else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class ScoreField(forms.TypedChoiceField):
    """Pass / fail as one checkbox (ticked = pass): one key or one click."""

    widget = PassToggle

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(True, "Pass"), (False, "Fail")],
            coerce=lambda value: value in (True, "True"),
            empty_value=True,
            required=False,
            **kwargs,
        )

    def to_python(self, value):
        if value in (True, "True", "true", "on"):
            return "True"
        if value in (False, "False", "false"):
            return "False"
        return super().to_python(value)


def week_days(week) -> list[date]:
    return [week.week_start + timedelta(days=offset) for offset in range(7)]


class DayChoiceField(forms.TypedChoiceField):
    """The seven days of the review week as radio buttons ("Mon 2 Nov"): one Tab stop, arrows or
    the number keys 1–7 pick a day. A day before the week (an edited sample) stays a choice."""

    def __init__(self, **kwargs):
        super().__init__(
            coerce=date.fromisoformat,
            widget=forms.RadioSelect(attrs={"class": "day-choice"}),
            **kwargs,
        )

    def set_days(self, days: list[date]) -> None:
        self.choices = [
            (day.isoformat(), f"{index}\u00a0{day:%a} {day.day} {day:%b}")
            for index, day in enumerate(days, start=1)
        ]

    def valid_value(self, value):
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return False
        return True  # the service says which days a sample may have

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, date) else value
