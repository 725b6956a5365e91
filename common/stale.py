"""Stale edits in the browser: the hidden version a form carries, and the conflict box.

An edit form carries the version of the row it was opened at. When the service refuses the save
with StaleEdit, the view shows the form again with what was typed, the saved values beside it and
the *current* version, so that saving again knowingly replaces theirs (see common.versions).
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.utils import pretty_name
from django.utils.formats import date_format

from .errors import StaleEdit
from .versions import version_of

VERSION = "version"


def add_version(form: forms.Form, instance) -> forms.Form:
    """Give an edit form of `instance` the hidden version it was opened at."""
    form.fields[VERSION] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.initial[VERSION] = version_of(instance)
    return form


def pop_version(form: forms.Form) -> str | None:
    """The version the editor opened, taken out of the cleaned data (None: no check)."""
    return form.cleaned_data.pop(VERSION, None) or None


def stale_form(build, posted, stale: StaleEdit):
    """The form again after a refused save, and the conflict to show above it.

    `build(instance, data=...)` makes the edit form of the saved row (e.g. `Form.for_entry`); it is
    bound to what was typed but carries the current version. Returns (form, conflict)."""
    data = posted.copy()
    data[VERSION] = version_of(stale.current)
    form = build(stale.current, data=data)
    form.is_valid()
    rows = []
    for name in form.changed_data:  # typed values that differ from the saved (initial) ones
        if name == VERSION:
            continue
        field = form.fields[name]
        theirs = form.get_initial_for_field(field, name)
        yours = form.cleaned_data[name] if name in form.cleaned_data else form[name].data
        rows.append((field.label or pretty_name(name), shown(field, theirs), shown(field, yours)))
    conflict = {
        "message": stale.message,
        "who": stale.changed_by,
        "at": stale.changed_at,
        "rows": rows,
    }
    return form, conflict


def shown(field: forms.Field, value) -> str:
    """A value as a person reads it: choice labels rather than codes, names rather than ids."""
    if value is None or value == "":
        return ""
    if isinstance(field, forms.ModelChoiceField):
        if not isinstance(value, Model):
            try:
                value = field.to_python(value)
            except ValidationError:
                return str(value)
        return field.label_from_instance(value) if value is not None else ""
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return str(value)
