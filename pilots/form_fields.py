"""Form fields shared by every form that picks people or asks for a response time."""

import re

from django import forms
from django.contrib.auth import get_user_model

User = get_user_model()

MINUTES_PER = {"min": 1, "h": 60, "day": 60 * 24}
UNIT_WORDS = {
    "m": "min",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "day",
    "day": "day",
    "days": "day",
}
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]*)")


def parse_minutes(text: str) -> int:
    """'90' or '90 min' → 90, '2 h' → 120, '1 day' → 1440, '1 h 30 min' → 90, '1.5 h' → 90.

    A bare number is minutes, as the field always took. Raises ValueError for anything else."""
    text = text.strip().lower()
    if not text:
        raise ValueError("empty")
    position, total = 0, 0.0
    for match in _PART.finditer(text):
        if text[position : match.start()].strip(" ,and"):
            raise ValueError(text)
        amount, unit = match.groups()
        if unit and unit not in UNIT_WORDS:
            raise ValueError(text)
        total += float(amount.replace(",", ".")) * MINUTES_PER[UNIT_WORDS.get(unit, "min")]
        position = match.end()
    if position == 0 or text[position:].strip():
        raise ValueError(text)
    if total != int(total):
        raise ValueError("not whole minutes")
    return int(total)


def format_minutes(minutes: int | None) -> str:
    """The largest unit that says it exactly: 1440 → '1 day', 120 → '2 h', 90 → '90 min'."""
    if minutes in (None, ""):
        return ""
    minutes = int(minutes)
    if minutes and minutes % MINUTES_PER["day"] == 0:
        days = minutes // MINUTES_PER["day"]
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes and minutes % MINUTES_PER["h"] == 0:
        return f"{minutes // MINUTES_PER['h']} h"
    return f"{minutes} min"


class ResponseTimeField(forms.Field):
    """A response time typed as people say it ('90 min', '2 h', '1 day'), stored as minutes."""

    widget = forms.TextInput
    default_help_text = "e.g. 30 min, 2 h or 1 day (a number alone is minutes)."

    def __init__(self, *, min_minutes: int = 1, max_minutes: int | None = None, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)
        self.min_minutes, self.max_minutes = min_minutes, max_minutes

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "placeholder": "e.g. 2 h", "size": 10}

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_minutes(value)
        return value

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_minutes(str(value))
        except ValueError:
            raise forms.ValidationError(
                "Write a time such as 30 min, 2 h or 1 day.", code="invalid"
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < self.min_minutes:
            raise forms.ValidationError(
                f"At least {format_minutes(self.min_minutes)}.", code="min_value"
            )
        if self.max_minutes is not None and value > self.max_minutes:
            raise forms.ValidationError(
                f"At most {format_minutes(self.max_minutes)}.", code="max_value"
            )


def active_people():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class PeoplePicker(forms.Select):
    """One person, chosen by name; a search box above the list narrows it (static/js/app.js)."""

    template_name = "pilots/widgets/people_picker.html"


class PeoplePickerMultiple(forms.CheckboxSelectMultiple):
    """Several people as a list of names to tick, with the same search box: no Ctrl-click."""

    template_name = "pilots/widgets/people_picker_multiple.html"


class UserChoiceField(forms.ModelChoiceField):
    widget = PeoplePicker

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", "— nobody —")
        super().__init__(queryset=active_people() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, user):
        return person_label(user)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    widget = PeoplePickerMultiple

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=active_people() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, user):
        return person_label(user)
